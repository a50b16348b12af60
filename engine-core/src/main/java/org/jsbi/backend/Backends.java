package org.jsbi.backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Finds backend providers and chooses one, once per JVM unless asked again.
 *
 * <p>{@code -Djsbi.backend=cuda,simd,scalar} is a preference list (default: every provider, best first);
 * {@code -Djsbi.test.requireBackend=simd} makes selection fail rather than fall back, so a test run cannot quietly
 * exercise the wrong backend. The choice is logged once, with the reason each preferred backend was passed over.
 */
public final class Backends {

    private static volatile BackendSelection selection;

    private Backends() {
    }

    /** The backend chosen for this JVM. */
    public static Backend current() {
        return selection().backend();
    }

    /** The selection for this JVM, made on first use. */
    public static BackendSelection selection() {
        BackendSelection s = selection;
        if (s == null) {
            synchronized (Backends.class) {
                s = selection;
                if (s == null) {
                    s = select(System.getProperty("jsbi.backend"), System.getProperty("jsbi.test.requireBackend"));
                    selection = s;
                    log(s.reason());
                }
            }
        }
        return s;
    }

    /**
     * Training batches narrower than this train on SIMD when the GPU was chosen by default ({@link #forTraining}).
     * On an H200 with a 16-core host (2026-11-27, {@code jsbi bench train}, NPE-MAF two_moons) the GPU's epoch took
     * 8.3 times SIMD's at batch 200, 2.4 times at 4,000 and 1.2 times at 6,000; it was 1.09 times faster at 8,000
     * and 1.23 times at 10,000 (docs/ARCHITECTURE.md, "The CUDA backend"). A host with fewer cores moves the
     * crossover down: {@code -Djsbi.cuda.minTrainingBatch=N} sets it.
     */
    public static final int DEFAULT_CUDA_MIN_TRAINING_BATCH = 8192;

    private static volatile Backend hostBackend;
    private static volatile boolean hostLogged;

    /**
     * The backend to train on at this batch size: {@link #current()}, except where that is a backend that does not
     * run on the host's threads (the GPU) chosen by default, with no {@code -Djsbi.backend}, and the batch is
     * narrower than {@code -Djsbi.cuda.minTrainingBatch} ({@link #DEFAULT_CUDA_MIN_TRAINING_BATCH}): a step at such
     * batches is a few hundred small kernel launches and copies, and the host's best backend trains several times
     * faster. Then the SIMD backend where it is usable, logged once. A named preference is always obeyed.
     */
    public static Backend forTraining(int batchSize) {
        Backend b = forTrainingQuietly(batchSize);
        if (b != selection().backend() && !hostLogged) {
            hostLogged = true;
            log("training batches of " + batchSize + " run on " + b.name() + ", not " + selection().backend().name()
                    + ": below " + minTrainingBatchOnDevice() + " columns the host is faster (-Djsbi.backend="
                    + selection().backend().name() + " insists on it; -Djsbi.cuda.minTrainingBatch=N moves the"
                    + " threshold)");
        }
        return b;
    }

    /** {@link #forTraining} without its log line (for reports such as {@code jsbi info}). */
    public static Backend forTrainingQuietly(int batchSize) {
        BackendSelection s = selection();
        Backend chosen = s.backend();
        if (!trainsOnHostInstead(s.byDefault(), chosen.splitsWorkOverHostThreads(), batchSize,
                minTrainingBatchOnDevice())) {
            return chosen;
        }
        Backend host = hostBackend;
        if (host == null) {
            synchronized (Backends.class) {
                host = hostBackend;
                if (host == null) {
                    host = simdBackend();
                    if (host == null) return chosen;
                    hostBackend = host;
                }
            }
        }
        return host;
    }

    /**
     * {@link #forTraining}'s rule: the host's backend instead of the chosen one only where the choice was the default,
     * the chosen backend does not run on the host's threads, and the batch is narrower than the threshold.
     */
    static boolean trainsOnHostInstead(boolean byDefault, boolean chosenOnHost, int batchSize, int minDeviceBatch) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        return byDefault && !chosenOnHost && batchSize < minDeviceBatch;
    }

    /** -Djsbi.cuda.minTrainingBatch, or the default; a value that is not a positive integer is an error. */
    public static int minTrainingBatchOnDevice() {
        String v = System.getProperty("jsbi.cuda.minTrainingBatch");
        if (v == null || v.isBlank()) return DEFAULT_CUDA_MIN_TRAINING_BATCH;
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-Djsbi.cuda.minTrainingBatch must be a positive whole number of columns,"
                + " got '" + v + "'");
    }

    /**
     * The SIMD backend where it is on the class path and usable, else null (training stays on the chosen backend): the
     * measured advantage is SIMD's; the scalar reference backend is slower than a GPU at any batch.
     */
    private static Backend simdBackend() {
        for (BackendProvider p : providers()) {
            if (p.name().equals("simd") && p.probe().usable()) return p.create();
        }
        return null;
    }

    /** Every provider on the class path, best first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) list.add(p);
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return list;
    }

    /** A backend by name, or a clear error naming why it cannot be had. */
    public static Backend byName(String name) {
        for (BackendProvider p : providers()) {
            if (p.name().equalsIgnoreCase(name)) {
                Probe probe = p.probe();
                if (!probe.usable()) {
                    throw new BackendUnavailableException("backend '" + name + "' is not usable here: " + probe.reason());
                }
                return p.create();
            }
        }
        throw new BackendUnavailableException("no backend named '" + name + "'; found: " + names(providers()));
    }

    /** Chooses by a preference list (null: all, best first) and an optional required backend. */
    public static BackendSelection select(String preference, String required) {
        Parallel.checkSettings();
        List<BackendProvider> all = providers();
        List<BackendSelection.ProviderStatus> statuses = new ArrayList<>();
        List<BackendProvider> order = new ArrayList<>();
        if (preference == null || preference.isBlank()) {
            order.addAll(all);
        } else {
            for (String want : preference.toLowerCase(Locale.ROOT).split(",")) {
                String w = want.trim();
                BackendProvider found = all.stream().filter(p -> p.name().equals(w)).findFirst().orElse(null);
                if (found == null) {
                    throw new BackendUnavailableException("-Djsbi.backend names '" + w + "', which is not a backend here;"
                            + " found: " + names(all) + " (engine-simd and engine-cuda must be on the class path)");
                }
                if (!order.contains(found)) order.add(found);
            }
        }
        StringBuilder passedOver = new StringBuilder();
        BackendProvider chosen = null;
        Probe chosenProbe = null;
        for (BackendProvider p : order) {
            Probe probe = p.probe();
            statuses.add(new BackendSelection.ProviderStatus(p.name(), p.priority(), probe));
            if (chosen == null) {
                if (probe.usable()) {
                    chosen = p;
                    chosenProbe = probe;
                } else {
                    passedOver.append("; ").append(p.name()).append(" not usable: ").append(probe.reason());
                }
            }
        }
        if (chosen == null) {
            throw new BackendUnavailableException("no usable backend among " + names(order) + passedOver);
        }
        if (required != null && !required.isBlank() && !chosen.name().equalsIgnoreCase(required.trim())) {
            throw new BackendUnavailableException("-Djsbi.test.requireBackend=" + required + " but selection chose "
                    + chosen.name() + passedOver + ". Refusing to fall back, so the run cannot test the wrong backend.");
        }
        String reason = "backend " + chosen.name() + " (" + chosenProbe.reason() + ")" + passedOver;
        return new BackendSelection(chosen.create(), reason, List.copyOf(statuses),
                preference == null || preference.isBlank());
    }

    private static String names(List<BackendProvider> ps) {
        return Arrays.toString(ps.stream().map(BackendProvider::name).toArray());
    }

    private static void log(String line) {
        String level = System.getProperty("jsbi.log", "info");
        if (!level.equalsIgnoreCase("warn") && !level.equalsIgnoreCase("off")) System.err.println("jsbi: " + line);
    }
}
