package org.jsbi.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The markdown summary of harness rows: mean ± sd C2ST per task and budget, beside the benchmark's published rows. */
public final class ResultsReport {

    private ResultsReport() {
    }

    /** Summary statistics of one (task, estimator, budget) over its observations. */
    public record Cell(int n, double mean, double sd, double meanPpc, double meanPriorPpc, double trainingSeconds) {
    }

    public static Map<String, Cell> cells(List<HarnessRow> rows) {
        Map<String, List<HarnessRow>> groups = new LinkedHashMap<>();
        for (HarnessRow r : rows) groups.computeIfAbsent(r.task() + "/" + r.estimator() + "/" + r.budget(), k -> new ArrayList<>()).add(r);
        Map<String, Cell> out = new LinkedHashMap<>();
        groups.forEach((k, g) -> {
            double s = 0, ss = 0, ppc = 0, prior = 0;
            for (HarnessRow r : g) {
                s += r.c2st();
                ss += r.c2st() * r.c2st();
                ppc += r.predictiveMedianDistance();
                prior += r.priorPredictiveMedianDistance();
            }
            int n = g.size();
            double mean = s / n;
            double sd = n > 1 ? Math.sqrt(Math.max(0, (ss - n * mean * mean) / (n - 1))) : 0;
            out.put(k, new Cell(n, mean, sd, ppc / n, prior / n, g.get(0).trainingSeconds()));
        });
        return out;
    }

    public static String markdown(List<HarnessRow> rows, String command) {
        Map<String, Cell> cells = cells(rows);
        List<String> tasks = new ArrayList<>();
        TreeSet<Integer> budgets = new TreeSet<>();
        for (HarnessRow r : rows) {
            if (!tasks.contains(r.task())) tasks.add(r.task());
            budgets.add(r.budget());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| task | simulations | jsbi NPE-MAF | jsbi NPE-MDN | sbibm NPE-MAF | sbibm NPE (NSF) | "
                + "MAF predictive distance (prior) | MAF / MDN training s |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String t : tasks) {
            for (int b : budgets) {
                Cell maf = cells.get(t + "/maf/" + b), mdn = cells.get(t + "/mdn/" + b);
                if (maf == null && mdn == null) continue;
                sb.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %s / %s |%n", t, b, fmt(maf),
                        fmt(mdn), num(PublishedResults.npeMaf(t, b)), num(PublishedResults.npeNsf(t, b)),
                        maf == null ? "–" : String.format(Locale.ROOT, "%.3g (%.3g)", maf.meanPpc(), maf.meanPriorPpc()),
                        maf == null ? "–" : String.format(Locale.ROOT, "%.0f", maf.trainingSeconds()),
                        mdn == null ? "–" : String.format(Locale.ROOT, "%.0f", mdn.trainingSeconds())));
            }
        }
        sb.append("\nC2ST: mean ± sd over the observations (n in brackets); 0.5 is indistinguishable from the reference "
                + "posterior. Predictive distance: median Euclidean distance of data simulated from posterior samples to "
                + "the observation, averaged over observations; in brackets the same for prior samples.\n");
        if (command != null) sb.append("\nMade with:\n\n```sh\n").append(command).append("\n```\n");
        return sb.toString();
    }

    private static String fmt(Cell c) {
        if (c == null) return "–";
        return String.format(Locale.ROOT, "%.3f ± %.3f (%d)", c.mean(), c.sd(), c.n());
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }
}
