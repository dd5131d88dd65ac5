package org.miniisolate.cli.isolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.miniisolate.cli.isolate.GetoptLong.ArgKind.NONE;
import static org.miniisolate.cli.isolate.GetoptLong.ArgKind.OPTIONAL;
import static org.miniisolate.cli.isolate.GetoptLong.ArgKind.REQUIRED;
import static org.miniisolate.cli.isolate.GetoptLong.NO_SHORT;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.miniisolate.cli.isolate.GetoptLong.Match;
import org.miniisolate.cli.isolate.GetoptLong.Option;

class GetoptLongTest {

    private static final List<Option> TABLE = List.of(
            new Option('a', "alpha", NONE, 1),
            new Option('b', "bravo", NONE, 2),
            new Option('t', "time", REQUIRED, 3),
            new Option('p', "processes", OPTIONAL, 4),
            new Option(NO_SHORT, "wait", NONE, 5),
            new Option('w', "wall-time", REQUIRED, 6),
            new Option(NO_SHORT, "init", NONE, 7),
            new Option(NO_SHORT, "inherit", NONE, 8),
            new Option('s', "silent", NONE, 9),
            new Option(NO_SHORT, "share-net", NONE, 10),
            new Option(NO_SHORT, "cg", NONE, 11),
            new Option(NO_SHORT, "cg-mem", REQUIRED, 12),
            new Option(NO_SHORT, "config", REQUIRED, 13, false),
            new Option(NO_SHORT, "core", REQUIRED, 14),
            new Option(NO_SHORT, "grey", NONE, 15),
            new Option(NO_SHORT, "gray", NONE, 15),
            new Option('z', null, REQUIRED, 16));

    /** What one complete scan produced: options as "long=value" (or "long" / "-c" when short-only). */
    private record Scan(List<String> options, List<String> positionals, int beforeDoubleDash) {
    }

    private static Scan scan(String... args) throws UsageException {
        GetoptLong g = new GetoptLong("prog", TABLE, args);
        List<String> options = new ArrayList<>();
        for (Match m = g.next(); m != null; m = g.next()) {
            String name = m.option().longName() != null ? m.option().longName() : "-" + m.option().shortName();
            options.add(m.value() == null ? name : name + "=" + m.value());
        }
        return new Scan(options, g.positionals(), g.positionalsBeforeDoubleDash());
    }

    private static UsageException failure(String... args) {
        try {
            scan(args);
        } catch (UsageException e) {
            return e;
        }
        throw new AssertionError("expected a usage error for " + List.of(args));
    }

    @Nested
    class Permutation {
        @Test
        void nonOptionsAnywhereAreCollectedAndLaterOptionsStillParsed() throws Exception {
            Scan s = scan("x", "-a", "y", "-t", "5", "z", "--bravo");
            assertThat(s.options()).containsExactly("alpha", "time=5", "bravo");
            assertThat(s.positionals()).containsExactly("x", "y", "z");
            assertThat(s.beforeDoubleDash()).isEqualTo(-1);
        }

        @Test
        void everythingAfterDoubleDashIsPositional() throws Exception {
            Scan s = scan("x", "-a", "--", "-b", "--time=1", "-", "--", "y");
            assertThat(s.options()).containsExactly("alpha");
            assertThat(s.positionals()).containsExactly("x", "-b", "--time=1", "-", "--", "y");
            assertThat(s.beforeDoubleDash()).isEqualTo(1);
        }

        @Test
        void doubleDashFirstMeansNoPositionalWasExposedToOptionParsing() throws Exception {
            Scan s = scan("-a", "--", "prog", "-a");
            assertThat(s.positionals()).containsExactly("prog", "-a");
            assertThat(s.beforeDoubleDash()).isZero();
        }

        @Test
        void loneDashIsPositional() throws Exception {
            Scan s = scan("-", "-a", "-");
            assertThat(s.options()).containsExactly("alpha");
            assertThat(s.positionals()).containsExactly("-", "-");
        }

        @Test
        void emptyArgumentIsPositional() throws Exception {
            assertThat(scan("", "-a").positionals()).containsExactly("");
        }

        @Test
        void noArgumentsGiveNothing() throws Exception {
            Scan s = scan();
            assertThat(s.options()).isEmpty();
            assertThat(s.positionals()).isEmpty();
        }
    }

    @Nested
    class ShortOptions {
        @Test
        void clustersAreSplit() throws Exception {
            assertThat(scan("-ab", "-ba").options()).containsExactly("alpha", "bravo", "bravo", "alpha");
        }

        @Test
        void requiredValueIsRestOfClusterOrNextArgument() throws Exception {
            assertThat(scan("-t5").options()).containsExactly("time=5");
            assertThat(scan("-t", "5").options()).containsExactly("time=5");
            assertThat(scan("-abt5").options()).containsExactly("alpha", "bravo", "time=5");
            assertThat(scan("-at", "5").options()).containsExactly("alpha", "time=5");
            assertThat(scan("-ta").options()).containsExactly("time=a");
        }

        @Test
        void requiredValueIsTakenWhateverItLooksLike() throws Exception {
            assertThat(scan("-t", "-a").options()).containsExactly("time=-a");
            Scan s = scan("-t", "--", "-b", "x");
            assertThat(s.options()).containsExactly("time=--", "bravo");
            assertThat(s.positionals()).containsExactly("x");
            assertThat(s.beforeDoubleDash()).isEqualTo(-1);
        }

        @Test
        void requiredValueMayBeEmptyArgument() throws Exception {
            assertThat(scan("-t", "").options()).containsExactly("time=");
        }

        @Test
        void optionalValueOnlyWhenAttached() throws Exception {
            assertThat(scan("-p5").options()).containsExactly("processes=5");
            Scan detached = scan("-p", "5");
            assertThat(detached.options()).containsExactly("processes");
            assertThat(detached.positionals()).containsExactly("5");
            assertThat(scan("-ap7").options()).containsExactly("alpha", "processes=7");
            assertThat(scan("-pa").options()).containsExactly("processes=a");
        }

        @Test
        void shortOnlyOption() throws Exception {
            assertThat(scan("-z", "v").options()).containsExactly("-z=v");
        }

        @Test
        void unknownLetterIsAnError() {
            UsageException e = failure("-q");
            assertThat(e).hasMessage("prog: invalid option -- 'q'");
            assertThat(e.printUsage()).isTrue();
        }

        @Test
        void unknownLetterInsideClusterIsAnErrorAfterTheKnownOnes() throws Exception {
            GetoptLong g = new GetoptLong("prog", TABLE, new String[] {"-aqb"});
            assertThat(g.next().id()).isEqualTo(1);
            assertThatThrownBy(g::next).hasMessage("prog: invalid option -- 'q'");
        }

        @Test
        void dashInsideClusterIsNotAnOption() {
            assertThat(failure("-a-")).hasMessage("prog: invalid option -- '-'");
        }

        @Test
        void missingRequiredValueIsAnError() {
            assertThat(failure("-t")).hasMessage("prog: option requires an argument -- 't'");
            assertThat(failure("-at")).hasMessage("prog: option requires an argument -- 't'");
            assertThat(failure("-t").printUsage()).isTrue();
        }

        @Test
        void longOnlyOptionHasNoLetter() {
            // "wait" has no short form; 'i' is not a short option at all.
            assertThat(failure("-i")).hasMessage("prog: invalid option -- 'i'");
        }
    }

    @Nested
    class LongOptions {
        @Test
        void valueAttachedOrFollowing() throws Exception {
            assertThat(scan("--time=5").options()).containsExactly("time=5");
            assertThat(scan("--time", "5").options()).containsExactly("time=5");
            assertThat(scan("--time", "--wait").options()).containsExactly("time=--wait");
        }

        @Test
        void attachedValueMayBeEmptyOrContainEquals() throws Exception {
            assertThat(scan("--time=").options()).containsExactly("time=");
            assertThat(scan("--time=a=b").options()).containsExactly("time=a=b");
        }

        @Test
        void optionalValueOnlyWhenAttached() throws Exception {
            assertThat(scan("--processes=5").options()).containsExactly("processes=5");
            assertThat(scan("--processes=").options()).containsExactly("processes=");
            Scan detached = scan("--processes", "5");
            assertThat(detached.options()).containsExactly("processes");
            assertThat(detached.positionals()).containsExactly("5");
        }

        @Test
        void unambiguousPrefixSelectsOption() throws Exception {
            assertThat(scan("--wall=2").options()).containsExactly("wall-time=2");
            assertThat(scan("--ti", "3").options()).containsExactly("time=3");
            assertThat(scan("--wai").options()).containsExactly("wait");
            assertThat(scan("--a", "--b").options()).containsExactly("alpha", "bravo");
        }

        @Test
        void exactMatchWinsOverLongerNames() throws Exception {
            assertThat(scan("--cg").options()).containsExactly("cg");
            assertThat(scan("--cg-=7").options()).containsExactly("cg-mem=7");
        }

        @Test
        void ambiguousPrefixListsCandidatesInTableOrder() {
            UsageException e = failure("--s");
            assertThat(e).hasMessage("prog: option '--s' is ambiguous; possibilities: '--silent' '--share-net'");
            assertThat(e.printUsage()).isTrue();
            assertThat(failure("--in")).hasMessage(
                    "prog: option '--in' is ambiguous; possibilities: '--init' '--inherit'");
            assertThat(failure("--w=1")).hasMessage(
                    "prog: option '--w=1' is ambiguous; possibilities: '--wait' '--wall-time'");
        }

        @Test
        void aliasesWithSameIdAndKindAreNotAmbiguous() throws Exception {
            assertThat(scan("--gr").options()).containsExactly("grey");
            assertThat(scan("--gray").options()).containsExactly("gray");
        }

        @Test
        void nonAbbreviableOptionNeedsFullNameAndStealsNoPrefix() throws Exception {
            assertThat(scan("--co=5").options()).containsExactly("core=5");
            assertThat(scan("--config=x").options()).containsExactly("config=x");
            assertThat(failure("--conf=x")).hasMessage("prog: unrecognized option '--conf=x'");
        }

        @Test
        void unknownNameIsAnError() {
            UsageException e = failure("--foo");
            assertThat(e).hasMessage("prog: unrecognized option '--foo'");
            assertThat(e.printUsage()).isTrue();
            assertThat(failure("--foo=bar")).hasMessage("prog: unrecognized option '--foo=bar'");
            assertThat(failure("---a")).hasMessage("prog: unrecognized option '---a'");
            assertThat(failure("--help")).hasMessage("prog: unrecognized option '--help'");
        }

        @Test
        void emptyNameIsAPrefixOfEverything() {
            assertThat(failure("--=x").getMessage()).startsWith("prog: option '--=x' is ambiguous; possibilities:"
                    + " '--alpha' '--bravo' '--time'");
        }

        @Test
        void valueOnFlagIsAnErrorNamingTheFullOption() {
            assertThat(failure("--init=1")).hasMessage("prog: option '--init' doesn't allow an argument");
            assertThat(failure("--ini=")).hasMessage("prog: option '--init' doesn't allow an argument");
        }

        @Test
        void missingValueIsAnErrorNamingTheFullOption() {
            assertThat(failure("--time")).hasMessage("prog: option '--time' requires an argument");
            assertThat(failure("-a", "--ti")).hasMessage("prog: option '--time' requires an argument");
        }
    }

    @Test
    void errorsSurfaceOnlyWhenTheScanReachesThem() throws Exception {
        GetoptLong g = new GetoptLong("prog", TABLE, new String[] {"-a", "--foo", "-b"});
        assertThat(g.next().id()).isEqualTo(1);
        assertThatThrownBy(g::next).isInstanceOf(UsageException.class)
                .hasMessage("prog: unrecognized option '--foo'");
    }

    @Test
    void scannerCopiesItsInput() throws Exception {
        String[] args = {"-t", "5"};
        GetoptLong g = new GetoptLong("prog", TABLE, args);
        args[1] = "changed";
        assertThat(g.next().value()).isEqualTo("5");
    }

    @Test
    void optionNeedsAName() {
        assertThatThrownBy(() -> new Option(NO_SHORT, null, NONE, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Option('x', "a=b", NONE, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Option('x', "", NONE, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Option('-', "x", NONE, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Option('x', "x", null, 1)).isInstanceOf(NullPointerException.class);
    }
}
