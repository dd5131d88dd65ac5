package org.miniisolate.cli.commands;

import java.util.ArrayList;
import java.util.List;

import org.miniisolate.RunControl;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While a run goes on, SIGINT, SIGTERM and SIGHUP stop the box through its {@link RunControl} (the verdict is then
 * INTERRUPTED, exit 3) instead of ending the JVM without a result.
 */
final class StopSignals implements AutoCloseable {
    private static final String[] NAMES = {"INT", "TERM", "HUP"};

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private StopSignals() {
    }

    static StopSignals install(RunControl control) {
        StopSignals s = new StopSignals();
        for (String name : NAMES) {
            try {
                Signal sig = new Signal(name);
                SignalHandler old = Signal.handle(sig, signal -> control.kill());
                s.signals.add(sig);
                s.previous.add(old);
            } catch (IllegalArgumentException e) {
                // Reserved by the JVM (e.g. under -Xrs): the default reaction stays.
            }
        }
        return s;
    }

    /** Puts the previous handlers back. */
    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
