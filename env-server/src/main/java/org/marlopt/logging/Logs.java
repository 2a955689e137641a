package org.marlopt.logging;

import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sets up logging once, at the start of a main: gRPC logs through java.util.logging, whose console
 * handler prints a second, two-line format; its records go to SLF4J instead, so every line has
 * the format of simplelogger.properties and the levels set there (or by -Dorg.slf4j.simpleLogger.*).
 */
public final class Logs {

    private Logs() {}

    /** Call before anything logs; slf4j-simple reads its levels now, so set system properties first. */
    public static void init() {
        LoggerFactory.getILoggerFactory();
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
