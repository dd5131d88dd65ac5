package org.miniisolate.launch;

/**
 * One run as the watchdog follows it: news from the launcher, and the two ways to stop it.
 * A fresh box's run ({@link RunningBox}) and a warm box's run ({@link WarmBox.Run}) both are one.
 */
public interface BoxChannel {
    /** What the launcher has said about this run so far. */
    LauncherReport report();

    /** Waits up to {@code timeoutMillis} for news; true once the run is over. */
    boolean await(int timeoutMillis);

    /** Asks the box's PID 1 to kill everything of the run; it still reports. */
    void kill();

    /** The last resort when a stop request goes unanswered: the whole box dies. */
    void killHard();

    /** Waits for the end of the run and returns the full report. */
    LauncherReport finish();
}
