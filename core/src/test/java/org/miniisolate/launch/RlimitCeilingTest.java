package org.miniisolate.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.miniisolate.launch.Rlimit.Resource;

class RlimitCeilingTest {
    @Test
    void onlyLimitsAboveTheCallersOwnHardLimitAreNamed() {
        List<Rlimit> limits = List.of(Rlimit.of(Resource.NOFILE, 4096), Rlimit.of(Resource.STACK, 1 << 20),
                Rlimit.of(Resource.AS, Rlimit.INFINITY), Rlimit.of(Resource.NPROC, 10));
        List<String> capped = RlimitCeiling.capped(limits, r -> switch (r) {
            case NOFILE -> 1024;                 // below the run's: capped
            case STACK -> Rlimit.INFINITY;       // the caller has none: anything goes
            case AS -> 1L << 30;                 // the run asks for none: as much as the caller has, no news
            default -> 10;                       // equal: fine
        });
        assertThat(capped).singleElement().asString()
                .startsWith("RLIMIT_NOFILE of 4096 is above your own hard limit (1024)")
                .contains("the program gets 1024", "ulimit -H", "run as root");
    }
}
