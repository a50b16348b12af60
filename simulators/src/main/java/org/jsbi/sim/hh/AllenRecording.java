package org.jsbi.sim.hh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jsbi.sim.channel.PaperData;
import org.jsbi.sim.channel.PaperDataException;

/**
 * One of the ten Allen Cell Types recordings of the paper's HH inference (models/PAPER.md §4, "Inference — Allen Cell
 * Types data"; paper-data README, {@code hh/allen/}), read from {@code ../shared/paper-data/hh/allen} through
 * {@link PaperData#hhAllen()}.
 *
 * <p>Processing, as the paper's {@code 6_allen} code does it (and nothing more):
 * <ul>
 *   <li>the stored traces are already the paper's window: 72,500 samples at dt = 0.02 ms (50 kHz), 1450 ms starting
 *       815 ms into the sweep, trace time t_k = k · dt from 0 (the code's {@code np.arange(0, 1450, dt)}); no further
 *       resampling or filtering;</li>
 *   <li>the recorded voltage (float32, mV) plus the junction potential, −14 mV, in float32 as numpy adds a Python int
 *       to a float32 array: {@link #voltageMv()};</li>
 *   <li>the stimulus window is the cell's own t_on, t_off from {@code allen_cells.csv} (205 ms to 1204.98 ms, or
 *       1204.99 ms), not the synthetic 10–110 ms: {@link #featureExtractor()};</li>
 *   <li>the injected current (µA) divided by the cell's hard-coded soma area (cm²) gives µA/cm², in float32 (numpy
 *       divides a float32 array by a Python float in float32): {@link #currentDensity()}; the features do not use it.</li>
 * </ul>
 */
public final class AllenRecording {

    private final int order;
    private final long cellId;
    private final int sweep;
    private final double dtMs;
    private final double tOnMs;
    private final double tOffMs;
    private final String somaAreaExpression;
    private final double somaAreaCm2;
    private final float junctionPotentialMv;
    private final boolean inFigure;
    private final float[] recordedMv;
    private final float[] currentUa;

    private AllenRecording(int order, long cellId, int sweep, double dtMs, double tOnMs, double tOffMs,
                           String somaAreaExpression, double somaAreaCm2, float junctionPotentialMv, boolean inFigure,
                           float[] recordedMv, float[] currentUa) {
        this.order = order;
        this.cellId = cellId;
        this.sweep = sweep;
        this.dtMs = dtMs;
        this.tOnMs = tOnMs;
        this.tOffMs = tOffMs;
        this.somaAreaExpression = somaAreaExpression;
        this.somaAreaCm2 = somaAreaCm2;
        this.junctionPotentialMv = junctionPotentialMv;
        this.inFigure = inFigure;
        this.recordedMv = recordedMv;
        this.currentUa = currentUa;
    }

    /** The ten recordings in the order of the paper's notebook list (cells 0–7 are in the figure panel). */
    public static List<AllenRecording> loadAll() {
        return loadAll(PaperData.hhAllen());
    }

    /** The ten recordings from a folder holding allen_cells.csv and the per-cell files it names. */
    public static List<AllenRecording> loadAll(Path dir) {
        Path index = dir.resolve("allen_cells.csv");
        List<String> lines = readLines(index);
        if (lines.isEmpty()) throw new PaperDataException(index + " is empty; it should have a header and one row per cell");
        List<String> header = Arrays.asList(lines.get(0).split(","));
        String[] need = {"order_in_paper_list", "ephys_cell_id", "sweep_number", "file", "n_samples", "dt_ms", "t_on_ms",
            "t_off_ms", "A_soma_expression", "A_soma_cm2", "junction_potential_mV", "shown_in_fig_panel_A"};
        int[] col = new int[need.length];
        for (int i = 0; i < need.length; i++) {
            col[i] = header.indexOf(need[i]);
            if (col[i] < 0) throw new PaperDataException(index + " has no column " + need[i] + "; its header is " + header);
        }
        List<AllenRecording> cells = new ArrayList<>();
        for (int r = 1; r < lines.size(); r++) {
            if (lines.get(r).isBlank()) continue;
            String[] f = lines.get(r).split(",");
            try {
                int n = Integer.parseInt(f[col[4]]);
                // the file column is relative to the paper-data folder (allen/cell_...csv, i.e. hh/allen/...).
                Path file = dir.resolve(Path.of(f[col[3]]).getFileName());
                float[][] vi = readTrace(file, n);
                cells.add(new AllenRecording(Integer.parseInt(f[col[0]]), Long.parseLong(f[col[1]]),
                        Integer.parseInt(f[col[2]]), Double.parseDouble(f[col[5]]), Double.parseDouble(f[col[6]]),
                        Double.parseDouble(f[col[7]]), f[col[8]], Double.parseDouble(f[col[9]]),
                        Float.parseFloat(f[col[10]]), f[col[11]].equals("yes"), vi[0], vi[1]));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new PaperDataException(index + " line " + (r + 1) + " is not a valid cell row: " + lines.get(r), e);
            }
        }
        return List.copyOf(cells);
    }

    /** The recording of one cell. */
    public static AllenRecording load(long cellId) {
        for (AllenRecording c : loadAll()) if (c.cellId == cellId) return c;
        throw new IllegalArgumentException("no Allen recording of cell " + cellId + " in " + PaperData.hhAllen());
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new PaperDataException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** sample_index,V_mV,I_uA with indices 0 .. n − 1 in order. */
    private static float[][] readTrace(Path file, int n) {
        List<String> lines = readLines(file);
        if (!lines.isEmpty() && !lines.get(0).equals("sample_index,V_mV,I_uA")) {
            throw new PaperDataException(file + ": expected the header sample_index,V_mV,I_uA, got " + lines.get(0));
        }
        if (lines.size() - 1 != n) {
            throw new PaperDataException(file + " has " + (lines.size() - 1) + " samples; allen_cells.csv says " + n);
        }
        float[] v = new float[n], cur = new float[n];
        for (int k = 0; k < n; k++) {
            String line = lines.get(k + 1);
            int c1 = line.indexOf(','), c2 = line.indexOf(',', c1 + 1);
            try {
                if (c1 < 0 || c2 < 0 || Integer.parseInt(line.substring(0, c1)) != k) throw new NumberFormatException();
                v[k] = Float.parseFloat(line.substring(c1 + 1, c2));
                cur[k] = Float.parseFloat(line.substring(c2 + 1));
            } catch (NumberFormatException e) {
                throw new PaperDataException(file + " line " + (k + 2) + " is not sample " + k + ",V,I: " + line, e);
            }
        }
        return new float[][] {v, cur};
    }

    /** The position in the paper's notebook list (0–9). */
    public int order() {
        return order;
    }

    public long cellId() {
        return cellId;
    }

    public int sweep() {
        return sweep;
    }

    public double dtMs() {
        return dtMs;
    }

    /** Stimulus onset in trace time (ms). */
    public double tOnMs() {
        return tOnMs;
    }

    /** Stimulus offset in trace time (ms). */
    public double tOffMs() {
        return tOffMs;
    }

    /** The paper's hard-coded soma area as written in its notebook, e.g. {@code 0.0234/126}. */
    public String somaAreaExpression() {
        return somaAreaExpression;
    }

    public double somaAreaCm2() {
        return somaAreaCm2;
    }

    public float junctionPotentialMv() {
        return junctionPotentialMv;
    }

    /** Whether the cell is one of the eight in the paper's figure panel. */
    public boolean inFigure() {
        return inFigure;
    }

    public int samples() {
        return recordedMv.length;
    }

    /** The voltage as recorded (mV), before the junction-potential correction; a copy. */
    public float[] recordedMv() {
        return recordedMv.clone();
    }

    /** The injected current as recorded (µA); a copy. */
    public float[] currentUa() {
        return currentUa.clone();
    }

    /** The membrane potential the paper fits (mV): recorded + junction potential, in float32. */
    public float[] voltageMv() {
        float[] v = new float[recordedMv.length];
        for (int k = 0; k < v.length; k++) v[k] = recordedMv[k] + junctionPotentialMv;
        return v;
    }

    /** The injected current density (µA/cm²): current / soma area, in float32. */
    public float[] currentDensity() {
        float area = (float) somaAreaCm2;
        float[] i = new float[currentUa.length];
        for (int k = 0; k < i.length; k++) i[k] = currentUa[k] / area;
        return i;
    }

    /** The feature extractor for this cell's time step and stimulus window. */
    public HhTraceFeatures featureExtractor() {
        return new HhTraceFeatures(dtMs, tOnMs, tOffMs);
    }

    /** The paper's 7 features of {@link #voltageMv()} (double). */
    public double[] features() {
        float[] v = voltageMv();
        return featureExtractor().features(v, 0, v.length);
    }

    @Override
    public String toString() {
        return "Allen cell " + cellId + " sweep " + sweep + " (" + samples() + " samples at " + dtMs + " ms, step "
                + tOnMs + "–" + tOffMs + " ms, A_soma " + somaAreaExpression + " cm², junction "
                + junctionPotentialMv + " mV)";
    }
}
