package org.miniisolate.cli.isolate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.miniisolate.cli.isolate.GetoptLong.Option;

class UsageTextTest {

    @Test
    void everyOptionIsDocumentedWithItsShortForm() {
        String text = UsageText.text("mini-isolate");
        for (Option o : IsolateCommandLine.OPTIONS) {
            String longForm = "--" + o.longName();
            assertThat(text).as("usage mentions %s", longForm).containsPattern("(?m)\\s" + longForm + "(\\s|=|\\[)");
            if (o.shortName() != GetoptLong.NO_SHORT) {
                assertThat(text).as("usage mentions -%s", o.shortName())
                        .contains("-" + o.shortName() + ", " + longForm);
            }
        }
    }

    @Test
    void usageNamesTheProgramAndEndsWithNewline() {
        String text = UsageText.text("mini-isolate");
        assertThat(text).startsWith("Usage: mini-isolate [OPTIONS] COMMAND\n").endsWith("\n");
        assertThat(text.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
    }

    @Test
    void hintPointsToHelp() {
        assertThat(UsageText.hint("isolate")).isEqualTo("Try 'isolate --help' for more information.");
    }

    @Test
    void usageExceptionCarriesExitCodeAndNoStackTrace() {
        UsageException e = new UsageException("bad", true);
        assertThat(UsageException.EXIT_CODE).isEqualTo(2);
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.printUsage()).isTrue();
    }
}
