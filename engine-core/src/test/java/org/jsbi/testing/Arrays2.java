package org.jsbi.testing;

import java.util.SplittableRandom;
import org.jsbi.backend.Backend;
import org.jsbi.tensor.HostStorage;
import org.jsbi.tensor.Storage;

/** Small helpers for kernel tests: random arrays and storages in a given backend. */
public final class Arrays2 {

    private Arrays2() {
    }

    public static float[] uniform(SplittableRandom r, int n, double low, double high) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (low == high ? low : r.nextDouble(low, high));
        return a;
    }

    /** A storage in backend b holding a copy of a. */
    public static Storage store(Backend b, float[] a) {
        Storage s = b.allocate(a.length);
        b.upload(a, 0, s, 0, a.length);
        return s;
    }

    public static float[] fetch(Backend b, Storage s) {
        float[] out = new float[s.length()];
        b.download(s, 0, out, 0, out.length);
        return out;
    }

    public static HostStorage host(float[] a) {
        return new HostStorage(a);
    }
}
