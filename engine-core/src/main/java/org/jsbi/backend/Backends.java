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
        return new BackendSelection(chosen.create(), reason, List.copyOf(statuses));
    }

    private static String names(List<BackendProvider> ps) {
        return Arrays.toString(ps.stream().map(BackendProvider::name).toArray());
    }

    private static void log(String line) {
        String level = System.getProperty("jsbi.log", "info");
        if (!level.equalsIgnoreCase("warn") && !level.equalsIgnoreCase("off")) System.err.println("jsbi: " + line);
    }
}
