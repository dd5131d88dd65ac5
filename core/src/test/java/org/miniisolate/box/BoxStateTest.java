package org.miniisolate.box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The state file's timestamps: written and read exactly as Instant's ISO-8601 form, without DateTimeFormatter. */
class BoxStateTest {
    @Test
    void timestampsMatchInstantsOwnFormBothWays() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            long second = random.nextLong(-62_167_219_200L, 253_402_300_799L); // years 0000-9999
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nano);
            assertThat(BoxState.iso(t)).isEqualTo(t.toString());
            assertThat(BoxState.parseInstant(t.toString())).isEqualTo(t);
        }
    }

    @Test
    void otherFormsAreLeftToInstant() {
        Instant far = Instant.parse("+12345-01-01T00:00:00Z");
        assertThat(BoxState.iso(far)).isEqualTo(far.toString());
        assertThat(BoxState.parseInstant(far.toString())).isEqualTo(far);
        assertThat(BoxState.parseInstant("2026-11-22T02:50:45.5Z")).isEqualTo(Instant.parse("2026-11-22T02:50:45.5Z"));
        assertThatThrownBy(() -> BoxState.parseInstant("2026-13-22T02:50:45Z")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> BoxState.parseInstant("2026-11-22T02:50:4xZ")).isInstanceOf(RuntimeException.class);
        assertThat(BoxState.parseInstant("2026-11-22T02:50:45.Z")).isEqualTo(Instant.parse("2026-11-22T02:50:45.Z"));
        // Out of range for the day arithmetic: read as Instant reads them (an error, or its own resolution).
        for (String edge : new String[] {"2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-00T00:00:00Z",
            "2026-11-22T24:00:00Z", "2026-11-22T23:60:00Z", "2026-12-31T23:59:60Z"}) {
            Instant expected;
            try {
                expected = Instant.parse(edge);
            } catch (RuntimeException e) {
                assertThatThrownBy(() -> BoxState.parseInstant(edge)).as(edge).isInstanceOf(RuntimeException.class);
                continue;
            }
            assertThat(BoxState.parseInstant(edge)).as(edge).isEqualTo(expected);
        }
        assertThat(BoxState.parseInstant("2024-02-29T12:00:00Z")).isEqualTo(Instant.parse("2024-02-29T12:00:00Z"));
        assertThat(BoxState.parseInstant("2000-02-29T12:00:00Z")).isEqualTo(Instant.parse("2000-02-29T12:00:00Z"));
    }

    @Test
    void dayArithmeticMatchesTheCalendarAcrossTheWholeRange() {
        for (long day = -719_528; day <= 2_932_896; day += 7) { // 0000-01-01 .. 9999-12-31, every weekday in turn
            java.time.LocalDate expected = java.time.LocalDate.ofEpochDay(day);
            int[] ymd = BoxState.civil(day);
            assertThat(ymd).containsExactly(expected.getYear(), expected.getMonthValue(), expected.getDayOfMonth());
            assertThat(BoxState.days(ymd[0], ymd[1], ymd[2])).isEqualTo(day);
        }
    }
}
