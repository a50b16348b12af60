package org.jsbi.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.jsbi.io.Npy;

/**
 * What every figure does around its charts: a white anti-aliased image to draw on, the failures of a JVM that cannot
 * draw turned into a {@link PlotException}, and the PNG written atomically.
 */
final class Canvas {

    private Canvas() {
    }

    /** A width × height image, white, on which {@code paint} draws. */
    static BufferedImage draw(int width, int height, Consumer<Graphics2D> paint) {
        try {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, width, height);
                paint.accept(g);
            } finally {
                g.dispose();
            }
            return image;
        } catch (UnsatisfiedLinkError | InternalError e) {
            throw PlotException.cannotDraw(e);
        } catch (Error e) {
            // AWT reports a machine without fonts as a plain Error ("Probable fatal error: No fonts found").
            if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("font")) {
                throw PlotException.cannotDraw(e);
            }
            throw e;
        }
    }

    /**
     * The image as a PNG file, through a temporary file renamed into place: an earlier figure stays whole. Encoded in
     * memory: ImageIO's default stream caches on disk and registers a shutdown hook to delete its file, which throws
     * once the JVM is shutting down, so every figure drawn after Ctrl-C failed (and its error hid the run's last words).
     */
    static void writePng(BufferedImage image, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            if (!ImageIO.write(image, "png", out)) throw new IOException("this JVM has no PNG writer");
        }
        Npy.writeAtomically(file, bytes.toByteArray());
    }
}
