package org.jsbi.sim.channel;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The five voltage-clamp protocols of the ion-channel Omnimodel (Podlaski et al. 2017; models/PAPER.md §3), read from
 * the paper's own files {@code channels/protocol_v_{act,inact,deact,ap,ramp}.csv} under {@link PaperData}, in the
 * paper's feature order act, inact, deact, ap, ramp.
 *
 * <p>The files' quirks and how the paper's code read them (paper-data README, channels/): the code read the tab-separated
 * {@code .dat} files with pandas' default header row, so the t = 0 row was never data and simulation starts at
 * t = 0.025 ms; we do the same (the first data row of the CSV is skipped). The time grid is irregular (samples at
 * 0.05, 0.525, 8.475, 135.525 ms, and 2168.475 in ramp, are missing; from ~136 ms times are rounded to 2 decimals);
 * the code ignores it and integrates with a constant step equal to the mean step of the rows it used,
 * {@code mean(diff(t))} = (t_last − t_first)/(rows − 1), about 0.025001–0.025004 ms. We do the same: the time column
 * only sets dt; the voltages are taken sample by sample.
 */
public final class ChannelProtocols {

    /** The protocol names in feature order. */
    public static final List<String> NAMES = List.of("act", "inact", "deact", "ap", "ramp");

    private static volatile ChannelProtocols cached;

    private final List<ChannelProtocol> protocols;

    private ChannelProtocols(List<ChannelProtocol> protocols) {
        this.protocols = List.copyOf(protocols);
    }

    /** The protocols from {@link PaperData#channels()}, read once per JVM. */
    public static ChannelProtocols load() {
        ChannelProtocols c = cached;
        if (c == null) {
            synchronized (ChannelProtocols.class) {
                c = cached;
                if (c == null) {
                    c = read(PaperData.channels());
                    cached = c;
                }
            }
        }
        return c;
    }

    /** The protocols from a folder holding {@code protocol_v_<name>.csv}. */
    public static ChannelProtocols read(Path channelsDir) {
        List<ChannelProtocol> list = new ArrayList<>();
        for (String name : NAMES) list.add(readOne(name, channelsDir.resolve("protocol_v_" + name + ".csv")));
        return new ChannelProtocols(list);
    }

    public List<ChannelProtocol> list() {
        return protocols;
    }

    public ChannelProtocol get(int p) {
        return protocols.get(p);
    }

    public int size() {
        return protocols.size();
    }

    /** Samples of all five flattened traces together. */
    public long totalLength() {
        long n = 0;
        for (ChannelProtocol p : protocols) n += p.length();
        return n;
    }

    private static ChannelProtocol readOne(String name, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new PaperDataException("missing protocol file " + file + " (the paper's k_channel_v_" + name
                    + ".dat as CSV; see the paper-data README, channels/)");
        }
        List<double[]> rows = new ArrayList<>();
        int cols = -1;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            String header = r.readLine();
            if (header == null || !header.startsWith("time_ms,")) {
                throw new PaperDataException(file + ": expected a header starting with time_ms, got " + header);
            }
            cols = header.split(",", -1).length;
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isEmpty()) continue;
                String[] f = line.split(",", -1);
                if (f.length != cols) {
                    throw new PaperDataException(file + " line " + lineNo + ": " + f.length + " fields, the header has "
                            + cols);
                }
                double[] v = new double[cols];
                for (int i = 0; i < cols; i++) {
                    try {
                        v[i] = Double.parseDouble(f[i]);
                    } catch (NumberFormatException e) {
                        throw new PaperDataException(file + " line " + lineNo + ": '" + f[i] + "' is not a number", e);
                    }
                }
                rows.add(v);
            }
        } catch (IOException e) {
            throw new PaperDataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (rows.size() < 3) throw new PaperDataException(file + ": only " + rows.size() + " data rows");
        // The paper's reader took the first line (t = 0) as the header: the data start at the second row.
        List<double[]> used = rows.subList(1, rows.size());
        int samples = used.size(), sweeps = cols - 1;
        double t0 = used.get(0)[0], t1 = used.get(samples - 1)[0];
        double dt = (t1 - t0) / (samples - 1);          // numpy's mean(diff(t)) up to the rounding of the sum
        float[] v = new float[sweeps * samples];
        for (int t = 0; t < samples; t++) {
            double[] row = used.get(t);
            for (int s = 0; s < sweeps; s++) v[s * samples + t] = (float) row[s + 1];
        }
        return new ChannelProtocol(name, sweeps, samples, dt, t0, v);
    }
}
