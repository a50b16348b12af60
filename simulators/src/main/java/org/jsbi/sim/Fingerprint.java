package org.jsbi.sim;

import java.util.zip.CRC32;

/**
 * A short checksum of float arrays (their bits, in order), for {@link org.jsbi.simulation.Simulator#configuration()}:
 * a stimulus or a basis of thousands of values identifies a simulator's setup without being written out.
 */
public final class Fingerprint {

    private Fingerprint() {
    }

    /** CRC32 of the arrays' lengths and float bits, as eight hex digits. */
    public static String of(float[]... arrays) {
        CRC32 crc = new CRC32();
        byte[] b = new byte[4];
        for (float[] a : arrays) {
            put(crc, b, a.length);
            for (float v : a) put(crc, b, Float.floatToRawIntBits(v));
        }
        return String.format("%08x", crc.getValue());
    }

    private static void put(CRC32 crc, byte[] b, int v) {
        b[0] = (byte) v;
        b[1] = (byte) (v >>> 8);
        b[2] = (byte) (v >>> 16);
        b[3] = (byte) (v >>> 24);
        crc.update(b, 0, 4);
    }
}
