package org.miniisolate.cli.isolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalInt;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.miniisolate.cli.isolate.IsolateOptions.Command;
import org.miniisolate.cli.isolate.IsolateOptions.Quota;

class IsolateCommandLineTest {

    private static IsolateOptions parse(String... args) throws UsageException {
        return IsolateCommandLine.parse(args);
    }

    private static UsageException failure(String... args) {
        try {
            IsolateOptions o = IsolateCommandLine.parse(args);
            throw new AssertionError("expected a usage error, got " + o);
        } catch (UsageException e) {
            return e;
        }
    }

    /** A usage error that isolate reports with its own message and a hint, not the whole usage text. */
    private static UsageException plainFailure(String... args) {
        UsageException e = failure(args);
        assertThat(e.printUsage()).as("printUsage for %s", e.getMessage()).isFalse();
        return e;
    }

    @Nested
    class Defaults {
        @Test
        void runWithProgramOnly() throws Exception {
            IsolateOptions o = parse("--run", "--", "/bin/true");
            assertThat(o.command()).isEqualTo(Command.RUN);
            assertThat(o.boxId()).isZero();
            assertThat(o.waitForLock()).isFalse();
            assertThat(o.asUid()).isNull();
            assertThat(o.asGid()).isNull();
            assertThat(o.cpuTime()).isNull();
            assertThat(o.wallTime()).isNull();
            assertThat(o.extraTime()).isNull();
            assertThat(o.memKib()).isNull();
            assertThat(o.stackKib()).isNull();
            assertThat(o.fsizeKib()).isNull();
            assertThat(o.coreKib()).isNull();
            assertThat(o.openFiles()).isNull();
            assertThat(o.processes()).isEqualTo(OptionalInt.of(1));
            assertThat(o.quota()).isNull();
            assertThat(o.cg()).isFalse();
            assertThat(o.cgMemKib()).isNull();
            assertThat(o.cgTiming()).isNull();
            assertThat(o.stdin()).isNull();
            assertThat(o.stdout()).isNull();
            assertThat(o.stderr()).isNull();
            assertThat(o.stderrToStdout()).isFalse();
            assertThat(o.metaPath()).isNull();
            assertThat(o.metaToStdout()).isFalse();
            assertThat(o.inheritFds()).isFalse();
            assertThat(o.ttyHack()).isFalse();
            assertThat(o.silent()).isZero();
            assertThat(o.verbose()).isZero();
            assertThat(o.dirRules()).isEmpty();
            assertThat(o.noDefaultDirs()).isFalse();
            assertThat(o.envRules()).isEmpty();
            assertThat(o.fullEnv()).isFalse();
            assertThat(o.chdir()).isNull();
            assertThat(o.shareNet()).isFalse();
            assertThat(o.specialFiles()).isFalse();
            assertThat(o.syscallFlags()).isNull();
            assertThat(o.configPath()).isNull();
            assertThat(o.programAndArgs()).containsExactly("/bin/true");
            assertThat(o.programAfterDoubleDash()).isTrue();
        }

        @ParameterizedTest
        @CsvSource({
                "--init, INIT",
                "--cleanup, CLEANUP",
                "--version, VERSION",
                "--check-config, CHECK_CONFIG",
                "--print-cg-root, PRINT_CG_ROOT",
        })
        void otherCommandsTakeNoProgram(String option, Command command) throws Exception {
            IsolateOptions o = parse(option);
            assertThat(o.command()).isEqualTo(command);
            assertThat(o.programAndArgs()).isEmpty();
            assertThat(o.programAfterDoubleDash()).isFalse();
            assertThat(command.optionName()).isEqualTo(option);
        }

        @Test
        void listsAreImmutable() throws Exception {
            IsolateOptions o = parse("-d", "/etc", "-E", "A=1", "--run", "--", "x");
            assertThatThrownBy(() -> o.dirRules().add("y")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> o.envRules().clear()).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> o.programAndArgs().add("y"))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class Permutation {
        @Test
        void optionsAfterTheProgramAreStillOptionsWithoutDoubleDash() {
            UsageException e = plainFailure("--run", "/bin/echo", "-n", "hi");
            assertThat(e).hasMessage("Invalid numeric parameter: hi");
        }

        @Test
        void doubleDashProtectsTheProgramsArguments() throws Exception {
            IsolateOptions o = parse("--run", "--", "/bin/echo", "-n", "hi");
            assertThat(o.programAndArgs()).containsExactly("/bin/echo", "-n", "hi");
            assertThat(o.openFiles()).isNull();
            assertThat(o.programAfterDoubleDash()).isTrue();
        }

        @Test
        void optionsMayFollowTheProgram() throws Exception {
            IsolateOptions o = parse("/bin/echo", "--run", "hello", "-b", "2", "world");
            assertThat(o.programAndArgs()).containsExactly("/bin/echo", "hello", "world");
            assertThat(o.boxId()).isEqualTo(2);
            assertThat(o.programAfterDoubleDash()).isFalse();
        }

        @Test
        void programBeforeDoubleDashIsNotCountedAsProtected() throws Exception {
            IsolateOptions o = parse("--run", "/bin/echo", "--", "-n");
            assertThat(o.programAndArgs()).containsExactly("/bin/echo", "-n");
            assertThat(o.openFiles()).isNull();
            assertThat(o.programAfterDoubleDash()).isFalse();
        }

        @Test
        void detachedValueOfProcessesBecomesTheProgram() throws Exception {
            IsolateOptions o = parse("--run", "-p", "5");
            assertThat(o.processes()).isEmpty();
            assertThat(o.programAndArgs()).containsExactly("5");
        }

        @Test
        void firstProblemOnTheLineIsReported() {
            assertThat(failure("--run", "-n", "hi", "--foo")).hasMessage("Invalid numeric parameter: hi");
            assertThat(failure("--run", "--foo", "-n", "hi"))
                    .hasMessage("mini-isolate: unrecognized option '--foo'");
        }
    }

    @Nested
    class Commands {
        @Test
        void missingCommand() {
            assertThat(plainFailure()).hasMessage("Please specify an isolate command (e.g. --init, --run).");
            assertThat(plainFailure("-b", "1")).hasMessage("Please specify an isolate command (e.g. --init, --run).");
        }

        @Test
        void twoDifferentCommands() {
            assertThat(plainFailure("--init", "--run", "--", "x")).hasMessage("Only one command is allowed.");
            assertThat(plainFailure("--cleanup", "--version")).hasMessage("Only one command is allowed.");
        }

        @Test
        void repeatingACommandIsFine() throws Exception {
            assertThat(parse("--init", "--init").command()).isEqualTo(Command.INIT);
            assertThat(parse("--run", "--run", "--", "x").command()).isEqualTo(Command.RUN);
        }

        @Test
        void runNeedsAProgram() {
            assertThat(plainFailure("--run").getMessage()).startsWith("--run needs a program to run");
            assertThat(plainFailure("--run", "--").getMessage()).startsWith("--run needs a program to run");
        }

        @Test
        void otherCommandsRejectPositionals() {
            assertThat(plainFailure("--init", "extra")).hasMessage(
                    "Unexpected argument 'extra': --init takes no positional arguments (only --run takes a program)");
            assertThat(plainFailure("--cleanup", "--", "x").getMessage())
                    .contains("'x'", "--cleanup takes no positional arguments");
            assertThat(plainFailure("--version", "x").getMessage()).contains("--version takes no positional");
        }

        @Test
        void helpIsNotAnOptionButPrintsUsage() {
            UsageException e = failure("--help");
            assertThat(e).hasMessage("mini-isolate: unrecognized option '--help'");
            assertThat(e.printUsage()).isTrue();
            assertThat(failure("-h")).hasMessage("mini-isolate: invalid option -- 'h'");
        }

        @Test
        void programNameIsConfigurable() {
            assertThatThrownBy(() -> IsolateCommandLine.parse("isolate", new String[] {"--bogus"}))
                    .hasMessage("isolate: unrecognized option '--bogus'");
        }
    }

    @Nested
    class Numbers {
        @ParameterizedTest
        @CsvSource({"-b,7", "-b7,", "--box-id=7,", "--box,7", "--box-id,7"})
        void boxIdForms(String first, String second) throws Exception {
            String[] args = second == null
                    ? new String[] {first, "--init"}
                    : new String[] {first, second, "--init"};
            assertThat(parse(args).boxId()).isEqualTo(7);
        }

        @ParameterizedTest
        @ValueSource(strings = {"abc", "0x10", "1.5", "", "12a", " 1", "1 ", "+", "-", "٣"})
        void invalidNumbers(String text) {
            assertThat(plainFailure("-b", text, "--init")).hasMessage("Invalid numeric parameter: " + text);
        }

        @ParameterizedTest
        @ValueSource(strings = {"-1", "2147483648", "99999999999999999999999", "-2147483648"})
        void outOfRangeNumbers(String text) {
            assertThat(plainFailure("-b", text, "--init")).hasMessage("Numeric parameter out of range: " + text);
        }

        @Test
        void boundaryAndSignedNumbers() throws Exception {
            assertThat(parse("-b", "2147483647", "--init").boxId()).isEqualTo(Integer.MAX_VALUE);
            assertThat(parse("-b", "+5", "--init").boxId()).isEqualTo(5);
            assertThat(parse("-b", "-0", "--init").boxId()).isZero();
            assertThat(parse("-b", "007", "--init").boxId()).isEqualTo(7);
        }

        @Test
        void everyIntegerOptionIsChecked() {
            String[][] cases = {
                    {"--as-uid=x", "--as-gid=1"}, {"--as-gid=x", "--as-uid=1"}, {"--cg", "--cg-mem=x"},
                    {"--core=x"}, {"-fx"}, {"-kx"}, {"-mx"}, {"-nx"}, {"-px"}, {"--syscalls=x"},
            };
            for (String[] c : cases) {
                String[] args = Arrays.copyOf(c, c.length + 1);
                args[c.length] = "--init";
                assertThat(plainFailure(args)).hasMessage("Invalid numeric parameter: x");
            }
        }

        @Test
        void integerOptionsAreStored() throws Exception {
            IsolateOptions o = parse("--as-uid=1000", "--as-gid=1001", "--cg", "--cg-mem=262144", "--core=4",
                    "-f", "1024", "-k65536", "--mem=524288", "-n", "0", "--syscalls=65535", "--init");
            assertThat(o.asUid()).isEqualTo(1000);
            assertThat(o.asGid()).isEqualTo(1001);
            assertThat(o.cgMemKib()).isEqualTo(262144);
            assertThat(o.coreKib()).isEqualTo(4);
            assertThat(o.fsizeKib()).isEqualTo(1024);
            assertThat(o.stackKib()).isEqualTo(65536);
            assertThat(o.memKib()).isEqualTo(524288);
            assertThat(o.openFiles()).isZero();
            assertThat(o.syscallFlags()).isEqualTo(65535);
        }
    }

    @Nested
    class Times {
        @ParameterizedTest
        @CsvSource({
                "1, 1000", "0.5, 500", "2.25, 2250", ".5, 500", "3., 3000", "1.0909, 1090", "4.35, 4350",
                "0.001, 1", "0.0010, 1", "0, 0", "0.000, 0", "0.0000, 0", "00012.5, 12500",
                "1000000000, 1000000000000", "1000000000.000, 1000000000000",
        })
        void validTimesTruncateToMilliseconds(String text, long millis) throws Exception {
            assertThat(parse("-t", text, "--init").cpuTime()).isEqualTo(Duration.ofMillis(millis));
        }

        @Test
        void eachTimeOptionHasItsOwnField() throws Exception {
            IsolateOptions o = parse("--time=1.5", "-w2", "--extra-time", "0.25", "--init");
            assertThat(o.cpuTime()).isEqualTo(Duration.ofMillis(1500));
            assertThat(o.wallTime()).isEqualTo(Duration.ofSeconds(2));
            assertThat(o.extraTime()).isEqualTo(Duration.ofMillis(250));
        }

        @Test
        void zeroIsGivenButMeansNoLimit() throws Exception {
            assertThat(parse("-t", "0", "--init").cpuTime()).isEqualTo(Duration.ZERO);
        }

        @ParameterizedTest
        @ValueSource(strings = {"abc", "1s", "", "-1", "-0", "+1", "NaN", "nan", "Infinity", "inf", "1e3", ".",
                "1.2.3", " 1", "1 ", "0x10", "1,5", "١"})
        void garbageIsRejectedInsteadOfMeaningNoLimit(String text) {
            UsageException e = plainFailure("-t", text, "--init");
            assertThat(e.getMessage()).startsWith("Invalid time value for --time: '" + text + "' (");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1000000001", "1000000000.001", "1000000000.0001", "99999999999999999999999"})
        void absurdlyLargeTimesAreRejected(String text) {
            assertThat(plainFailure("-w", text, "--init").getMessage())
                    .startsWith("Invalid time value for --wall-time: '" + text + "' (more than");
        }

        @Test
        void positiveTimeBelowOneMillisecondIsRejected() {
            // isolate would truncate it to 0, i.e. silently remove the limit.
            assertThat(plainFailure("-x", "0.0004", "--init").getMessage())
                    .startsWith("Invalid time value for --extra-time: '0.0004' (below");
        }

        @Test
        void messageNamesTheOptionWhateverFormWasUsed() {
            assertThat(plainFailure("--wall=abc", "--init").getMessage())
                    .startsWith("Invalid time value for --wall-time: 'abc'");
            assertThat(plainFailure("-xabc", "--init").getMessage())
                    .startsWith("Invalid time value for --extra-time: 'abc'");
        }

        @Test
        void timeOptionSwallowsDoubleDashLikeGetoptDoes() {
            assertThat(plainFailure("--run", "-t", "--", "x").getMessage())
                    .startsWith("Invalid time value for --time: '--'");
        }
    }

    @Nested
    class Repetition {
        @Test
        void lastOccurrenceWins() throws Exception {
            IsolateOptions o = parse("-t", "1", "-t", "2", "-m", "10", "--mem=20", "-i", "a", "--stdin=b",
                    "-o", "c", "-o", "d", "-c", "e", "--chdir", "f", "-b1", "-b2", "-M", "m1", "-M", "-",
                    "-q", "1,2", "-q", "3,4", "--config=x", "--config=y", "--init");
            assertThat(o.cpuTime()).isEqualTo(Duration.ofSeconds(2));
            assertThat(o.memKib()).isEqualTo(20);
            assertThat(o.stdin()).isEqualTo("b");
            assertThat(o.stdout()).isEqualTo("d");
            assertThat(o.chdir()).isEqualTo("f");
            assertThat(o.boxId()).isEqualTo(2);
            assertThat(o.metaPath()).isEqualTo("-");
            assertThat(o.metaToStdout()).isTrue();
            assertThat(o.quota()).isEqualTo(new Quota(3, 4));
            assertThat(o.configPath()).isEqualTo("y");
        }

        @Test
        void dirAndEnvRulesAccumulateInOrder() throws Exception {
            IsolateOptions o = parse("-d", "/etc:noexec", "--dir=tmp:tmp", "-E", "PATH=/bin", "--env", "HOME",
                    "-dbox=", "-EX=", "--init");
            assertThat(o.dirRules()).containsExactly("/etc:noexec", "tmp:tmp", "box=");
            assertThat(o.envRules()).containsExactly("PATH=/bin", "HOME", "X=");
        }

        @Test
        void verboseAndSilentCount() throws Exception {
            IsolateOptions o = parse("-vvv", "--verbose", "-s", "-sv", "--sil", "--init");
            assertThat(o.verbose()).isEqualTo(5);
            assertThat(o.silent()).isEqualTo(3);
        }

        @Test
        void stderrAndStderrToStdoutCancelEachOther() throws Exception {
            IsolateOptions toStdout = parse("-r", "err", "--stderr-to-stdout", "--init");
            assertThat(toStdout.stderr()).isNull();
            assertThat(toStdout.stderrToStdout()).isTrue();

            IsolateOptions toFile = parse("--stderr-to-stdout", "--stderr=err", "--init");
            assertThat(toFile.stderr()).isEqualTo("err");
            assertThat(toFile.stderrToStdout()).isFalse();
        }
    }

    @Nested
    class Processes {
        @Test
        void defaultIsOne() throws Exception {
            assertThat(parse("--init").processes()).hasValue(1);
        }

        @Test
        void withoutValueOrZeroMeansNoLimit() throws Exception {
            assertThat(parse("-p", "--init").processes()).isEmpty();
            assertThat(parse("--processes", "--init").processes()).isEmpty();
            assertThat(parse("-p0", "--init").processes()).isEmpty();
            assertThat(parse("--processes=0", "--init").processes()).isEmpty();
        }

        @Test
        void attachedValueIsTheLimit() throws Exception {
            assertThat(parse("-p5", "--init").processes()).hasValue(5);
            assertThat(parse("--processes=7", "--init").processes()).hasValue(7);
            assertThat(parse("-sp3", "--init").processes()).hasValue(3);
        }

        @Test
        void lastOccurrenceWins() throws Exception {
            assertThat(parse("-p5", "-p", "--init").processes()).isEmpty();
            assertThat(parse("-p", "-p5", "--init").processes()).hasValue(5);
        }

        @Test
        void explicitEmptyValueIsInvalid() {
            assertThat(plainFailure("--processes=", "--init")).hasMessage("Invalid numeric parameter: ");
        }
    }

    @Nested
    class Validation {
        @Test
        void quotaNeedsBlocksAndInodes() throws Exception {
            assertThat(parse("-q", "100,20", "--init").quota()).isEqualTo(new Quota(100, 20));
            assertThat(plainFailure("-q", "100", "--init").getMessage()).contains("'100'", "BLOCKS,INODES");
            assertThat(plainFailure("-q", "a,1", "--init")).hasMessage("Invalid numeric parameter: a");
            assertThat(plainFailure("-q", "1,", "--init")).hasMessage("Invalid numeric parameter: ");
            assertThat(plainFailure("-q", "1,2,3", "--init")).hasMessage("Invalid numeric parameter: 2,3");
        }

        @Test
        void cgMemNeedsCg() throws Exception {
            assertThat(plainFailure("--cg-mem=1000", "--init"))
                    .hasMessage("Options related to control groups require --cg to be set.");
            assertThat(parse("--cg-mem=1000", "--cg", "--init").cgMemKib()).isEqualTo(1000);
            assertThat(parse("--cg", "--init").cg()).isTrue();
        }

        @Test
        void asUidAndAsGidComeTogether() {
            assertThat(plainFailure("--as-uid=5", "--init"))
                    .hasMessage("--as-uid and --as-gid must be used either both or none");
            assertThat(plainFailure("--as-gid=5", "--init"))
                    .hasMessage("--as-uid and --as-gid must be used either both or none");
        }

        @ParameterizedTest
        @ValueSource(strings = {"=x", "=", ""})
        void envRuleNeedsAName(String rule) {
            assertThat(plainFailure("-E", rule, "--init").getMessage())
                    .startsWith("Invalid environment rule '" + rule + "'");
        }

        @Test
        void cgTimingIsAcceptedAndRecordedWithoutCg() throws Exception {
            assertThat(parse("--cg-timing", "--init").cgTiming()).isTrue();
            assertThat(parse("--no-cg-timing", "--init").cgTiming()).isFalse();
            assertThat(parse("--no-cg-timing", "--cg-timing", "--init").cgTiming()).isTrue();
            assertThat(parse("--cg-timing", "--no-cg-timing", "--init").cgTiming()).isFalse();
        }
    }

    @Nested
    class Abbreviations {
        @Test
        void isolatesAbbreviationsKeepTheirMeaning() throws Exception {
            assertThat(parse("--wall=2", "--init").wallTime()).isEqualTo(Duration.ofSeconds(2));
            assertThat(parse("--co=5", "--init").coreKib()).isEqualTo(5);
            assertThat(parse("--no", "--init").noDefaultDirs()).isTrue();
            assertThat(parse("--cg-=5", "--cg", "--init").cgMemKib()).isEqualTo(5);
            assertThat(parse("--vers").command()).isEqualTo(Command.VERSION);
            assertThat(parse("--ini").command()).isEqualTo(Command.INIT);
            assertThat(parse("--r", "--", "x").command()).isEqualTo(Command.RUN);
            assertThat(parse("--pri").command()).isEqualTo(Command.PRINT_CG_ROOT);
        }

        @Test
        void compatibilityOptionsMustBeSpelledOut() {
            assertThat(failure("--conf=x", "--init")).hasMessage("mini-isolate: unrecognized option '--conf=x'");
            assertThat(failure("--no-cg", "--init")).hasMessage("mini-isolate: unrecognized option '--no-cg'");
        }

        @Test
        void ambiguousPrefixes() {
            UsageException e = failure("--s", "--init");
            assertThat(e.printUsage()).isTrue();
            assertThat(e).hasMessage("mini-isolate: option '--s' is ambiguous; possibilities: '--share-net'"
                    + " '--silent' '--special-files' '--stack' '--stderr' '--stderr-to-stdout' '--stdin'"
                    + " '--stdout' '--syscalls'");
            assertThat(failure("--w")).hasMessage(
                    "mini-isolate: option '--w' is ambiguous; possibilities: '--wait' '--wall-time'");
            assertThat(failure("--ver")).hasMessage(
                    "mini-isolate: option '--ver' is ambiguous; possibilities: '--verbose' '--version'");
            assertThat(failure("--in")).hasMessage(
                    "mini-isolate: option '--in' is ambiguous; possibilities: '--inherit-fds' '--init'");
        }

        @Test
        void flagsRejectValues() {
            assertThat(failure("--init=1")).hasMessage("mini-isolate: option '--init' doesn't allow an argument");
        }

        @Test
        void missingValues() {
            assertThat(failure("--init", "--time")).hasMessage("mini-isolate: option '--time' requires an argument");
            assertThat(failure("--init", "-t")).hasMessage("mini-isolate: option requires an argument -- 't'");
        }
    }

    @Test
    void flagsAndStrings() throws Exception {
        IsolateOptions o = parse("--wait", "--inherit-fds", "--tty-hack", "--share-net", "--special-files", "-D",
                "-e", "--cg", "-c", "/box/sub", "-i", "in.txt", "--stdout=out.txt", "--meta", "meta.txt",
                "--config=/etc/mini-isolate.cf", "--init");
        assertThat(o.waitForLock()).isTrue();
        assertThat(o.inheritFds()).isTrue();
        assertThat(o.ttyHack()).isTrue();
        assertThat(o.shareNet()).isTrue();
        assertThat(o.specialFiles()).isTrue();
        assertThat(o.noDefaultDirs()).isTrue();
        assertThat(o.fullEnv()).isTrue();
        assertThat(o.cg()).isTrue();
        assertThat(o.chdir()).isEqualTo("/box/sub");
        assertThat(o.stdin()).isEqualTo("in.txt");
        assertThat(o.stdout()).isEqualTo("out.txt");
        assertThat(o.metaPath()).isEqualTo("meta.txt");
        assertThat(o.metaToStdout()).isFalse();
        assertThat(o.configPath()).isEqualTo("/etc/mini-isolate.cf");
    }

    @Test
    void typicalJudgeCommandLine() throws Exception {
        IsolateOptions o = parse("--cg", "--box-id=5", "--cg-mem=262144", "-M", "meta.txt", "-t", "1", "-x",
                "0.5", "-w", "3", "-k", "65536", "-f", "1024", "-p", "--stdin=in.txt", "--stdout=out.txt",
                "--stderr-to-stdout", "-d", "/etc:noexec", "-E", "PATH=/usr/bin", "-s", "--run", "--", "./a.out",
                "arg");
        assertThat(o.command()).isEqualTo(Command.RUN);
        assertThat(o.cg()).isTrue();
        assertThat(o.boxId()).isEqualTo(5);
        assertThat(o.cgMemKib()).isEqualTo(262144);
        assertThat(o.metaPath()).isEqualTo("meta.txt");
        assertThat(o.cpuTime()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.extraTime()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.wallTime()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.stackKib()).isEqualTo(65536);
        assertThat(o.fsizeKib()).isEqualTo(1024);
        assertThat(o.processes()).isEmpty();
        assertThat(o.stdin()).isEqualTo("in.txt");
        assertThat(o.stdout()).isEqualTo("out.txt");
        assertThat(o.stderrToStdout()).isTrue();
        assertThat(o.dirRules()).containsExactly("/etc:noexec");
        assertThat(o.envRules()).containsExactly("PATH=/usr/bin");
        assertThat(o.silent()).isEqualTo(1);
        assertThat(o.programAndArgs()).containsExactly("./a.out", "arg");
        assertThat(o.programAfterDoubleDash()).isTrue();
    }
}
