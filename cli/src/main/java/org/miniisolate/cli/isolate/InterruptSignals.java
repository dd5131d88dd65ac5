package org.miniisolate.cli.isolate;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns the signals that ask isolate to stop (SIGINT, SIGTERM, SIGHUP, SIGQUIT) into an interruption of the thread
 * running the box, and remembers the first one: isolate reports it as {@code exitsig} with "Interrupted".
 *
 * <p>Without this the JVM would just exit on such a signal: no meta-file, and a box that dies only because its
 * launcher follows the JVM. The core's watchdog reacts to the interruption by killing the box and still collects
 * its statistics. This object is the only state shared with the signal-handling thread.
 *
 * <p>SIGQUIT cannot be caught this way: the JVM keeps it for thread dumps. A SIGQUIT sent to the JVM alone does not
 * stop the run; one sent by a terminal to the whole process group still does, because the launcher stops the box
 * on it.
 */
final class InterruptSignals {

    private static final String[] NAMES = {"INT", "TERM", "HUP", "QUIT"};

    private final Thread target;
    private volatile boolean armed = true;
    private volatile int received;

    private InterruptSignals(Thread target) {
        this.target = target;
    }

    /** Starts routing the stop signals to an interruption of {@code target}. */
    static InterruptSignals install(Thread target) {
        InterruptSignals signals = new InterruptSignals(target);
        Handler handler = new Handler(signals);
        for (String name : NAMES) {
            try {
                Signal.handle(new Signal(name), handler);
            } catch (IllegalArgumentException e) {
                // Reserved by the JVM (SIGQUIT, or all of them under -Xrs); see the class comment.
            }
        }
        return signals;
    }

    /**
     * Stops interrupting the target and clears an interruption that arrived meanwhile, so it cannot disturb what
     * comes after the run. A signal arriving later is ignored: the run is already over and the process is about to
     * exit with its report. Must be called on the target thread; synchronized with the handler so that no
     * interruption can land after it returns.
     */
    synchronized void disarm() {
        armed = false;
        Thread.interrupted();
    }

    /** The number of the first stop signal received while armed, or 0. */
    int received() {
        return received;
    }

    private synchronized void onSignal(int number) {
        if (!armed || received != 0) {
            return;
        }
        received = number;
        target.interrupt();
    }

    /** A named class rather than a lambda: no lambda bootstrap on the start-up path. */
    private static final class Handler implements SignalHandler {
        private final InterruptSignals owner;

        Handler(InterruptSignals owner) {
            this.owner = owner;
        }

        @Override
        public void handle(Signal signal) {
            owner.onSignal(signal.getNumber());
        }
    }
}
