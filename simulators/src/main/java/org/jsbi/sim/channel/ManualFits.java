package org.jsbi.sim.channel;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The paper's direct fits of each ICG channel's m∞ and τ curves ({@code channels/manualfit_params.csv}), mapped to the
 * Omnimodel's θ (columns theta_1..theta_8; the README explains the mapping θ = [inf_a, inf_b, tau_a, exp(tau_b),
 * ln tau_c, ln tau_d, ln tau_e, ln tau_f]). Channels without a τ fit have NaN in θ3..θ8. Many fits lie slightly
 * outside the prior box (θ4 of {@code 3808_im.mod} is 2005 &gt; 2000; small negative θ6, θ8), which the simulator
 * accepts.
 */
public final class ManualFits {

    private ManualFits() {
    }

    /** Channel mod-file name → θ (8 floats), in file order. */
    public static Map<String, float[]> load() {
        return read(PaperData.channels().resolve("manualfit_params.csv"));
    }

    /** θ of one channel, e.g. {@code 3808_im.mod}; a clear error when it is not in the file. */
    public static float[] theta(String modFile) {
        float[] t = load().get(modFile);
        if (t == null) throw new PaperDataException("no manual fit for channel '" + modFile + "' in manualfit_params.csv");
        return t.clone();
    }

    static Map<String, float[]> read(Path file) {
        if (!Files.isRegularFile(file)) throw new PaperDataException("missing manual-fit file " + file);
        Map<String, float[]> out = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String[] header = r.readLine().split(",", -1);
            int first = -1;
            for (int i = 0; i < header.length; i++) if (header[i].equals("theta_1")) first = i;
            if (first < 0 || first + 8 > header.length) throw new PaperDataException(file + ": no theta_1..theta_8 columns");
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) continue;
                String[] f = line.split(",", -1);
                float[] th = new float[8];
                for (int d = 0; d < 8; d++) {
                    String s = f[first + d].trim();
                    th[d] = s.isEmpty() || s.equalsIgnoreCase("nan") ? Float.NaN : (float) Double.parseDouble(s);
                }
                out.put(f[0], th);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof PaperDataException p) throw p;
            throw new PaperDataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return Collections.unmodifiableMap(out);
    }
}
