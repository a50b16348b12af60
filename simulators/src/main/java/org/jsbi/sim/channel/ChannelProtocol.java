package org.jsbi.sim.channel;

/**
 * One voltage-clamp protocol as the paper's simulator runs it: {@link #sweeps()} command-voltage sweeps of
 * {@link #samples()} samples each on a constant step {@link #dt()} (ms). The command voltage of sweep s at sample t
 * is {@link #voltage(int, int)}; the flattened trace order (sweep-major: index s·samples + t, numpy's
 * {@code I.reshape(-1)} of a (sweeps × time) array) is the order of the PCA basis and of {@link #voltages()}.
 *
 * <p>Immutable; {@link ChannelProtocols} reads the five from the paper's files.
 */
public final class ChannelProtocol {

    private final String name;
    private final int sweeps;
    private final int samples;
    private final double dt;
    private final double firstTime;
    private final float[] voltage;

    ChannelProtocol(String name, int sweeps, int samples, double dt, double firstTime, float[] voltage) {
        if (sweeps < 1 || samples < 2 || voltage.length != sweeps * samples) {
            throw new IllegalArgumentException("protocol " + name + ": " + sweeps + " sweeps x " + samples
                    + " samples do not match " + voltage.length + " voltages");
        }
        this.name = name;
        this.sweeps = sweeps;
        this.samples = samples;
        this.dt = dt;
        this.firstTime = firstTime;
        this.voltage = voltage;
    }

    /** {@code act}, {@code inact}, {@code deact}, {@code ap} or {@code ramp}. */
    public String name() {
        return name;
    }

    public int sweeps() {
        return sweeps;
    }

    /** Samples per sweep (the file's data rows less the t = 0 row, which the paper's reader took as the header). */
    public int samples() {
        return samples;
    }

    /** sweeps × samples: the length of the flattened trace. */
    public int length() {
        return sweeps * samples;
    }

    /** The constant time step (ms): the mean step of the rows used, (t_last − t_first)/(samples − 1), as the code. */
    public double dt() {
        return dt;
    }

    /** The time (ms) of sample 0 in the file (0.025: the t = 0 row is not used). */
    public double firstTime() {
        return firstTime;
    }

    /** The command voltage (mV) of sweep s at sample t. */
    public float voltage(int sweep, int t) {
        return voltage[sweep * samples + t];
    }

    /** A copy of the flattened command voltages, index s·samples + t. */
    public float[] voltages() {
        return voltage.clone();
    }

    /** The array itself, for the kernels (never modified). */
    float[] voltageArray() {
        return voltage;
    }

    @Override
    public String toString() {
        return name + " (" + sweeps + " sweeps x " + samples + " samples, dt " + dt + " ms)";
    }
}
