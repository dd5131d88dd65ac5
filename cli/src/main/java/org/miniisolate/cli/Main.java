package org.miniisolate.cli;

/** Placeholder so the build skeleton packages; the real CLI replaces this file. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {}
}
