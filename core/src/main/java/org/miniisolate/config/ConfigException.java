package org.miniisolate.config;

/** The configuration file is wrong; the message names the file and the line. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
