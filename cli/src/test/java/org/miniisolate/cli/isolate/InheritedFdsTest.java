package org.miniisolate.cli.isolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The descriptor list bin/mini-isolate hands over for --inherit-fds. */
class InheritedFdsTest {

    @Test
    void parsesTheScriptsList() {
        assertThat(InheritedFds.parse(null)).isEmpty();
        assertThat(InheritedFds.parse("")).isEmpty();
        assertThat(InheritedFds.parse("5")).containsExactly(5);
        assertThat(InheritedFds.parse("3,10,251")).containsExactly(3, 10, 251);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "5,", ",5", "5,,6", "x", "-4", "1234567890", "5 6"})
    void refusesAnythingElse(String value) {
        assertThatThrownBy(() -> InheritedFds.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MINI_ISOLATE_INHERITED_FDS");
    }
}
