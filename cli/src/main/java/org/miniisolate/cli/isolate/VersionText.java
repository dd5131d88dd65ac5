package org.miniisolate.cli.isolate;

/** What {@code --version} prints. Reads nothing but the jar's manifest. */
final class VersionText {

    private VersionText() {
    }

    static String text() {
        // Implementation-Version is written into the manifest by the build; running from classes has none.
        String version = VersionText.class.getPackage().getImplementationVersion();
        return new StringBuilder(128)
                .append("mini-isolate ").append(version != null ? version : "(development build)").append('\n')
                .append("A Linux sandbox for untrusted programs, command-line compatible with IOI isolate.\n")
                .toString();
    }
}
