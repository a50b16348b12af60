package org.jsbi.plot;

/**
 * A plot this JVM cannot draw: most often a machine without fonts (a minimal container), where Java's 2-D graphics
 * fail on the first text. The message says what to install; nothing else the run did depends on it.
 */
public final class PlotException extends RuntimeException {

    public PlotException(String message, Throwable cause) {
        super(message, cause);
    }

    static PlotException cannotDraw(Throwable cause) {
        return new PlotException("this Java cannot draw the plot (" + cause + "): Java's 2-D graphics need fontconfig"
                + " and at least one font (on Debian or Ubuntu: apt install fontconfig fonts-dejavu-core); install"
                + " them, or leave out the plot", cause);
    }
}
