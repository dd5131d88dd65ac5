package org.miniisolate.cli.commands;

import picocli.CommandLine.IVersionProvider;

/** {@code --version} of every subcommand: the jar's version. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"mini-isolate " + (v == null ? "(development build)" : v)};
    }
}
