package org.jsbi.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleBiFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jsbi.validation.HarnessRow;
import org.jsbi.validation.PublishedResults;
import org.jsbi.validation.ResultsReport;

/**
 * The validation harness's results as the benchmark's paper draws them: a panel per task, C2ST against the simulation
 * budget (log scale), jsbi's NPE-MAF and NPE-MDN as mean ± sd over the observations, and the benchmark's published
 * NPE-MAF and NPE (neural spline flow) means as lines for comparison.
 */
public final class C2stPlot {

    private static final Color MAF = new Color(31, 119, 180), MDN = new Color(255, 127, 14);
    private static final Color PEER_MAF = new Color(90, 90, 90), PEER_NSF = new Color(44, 160, 44);
    private static final int COLUMNS = 4, PANEL = 300;

    private C2stPlot() {
    }

    /**
     * @throws IllegalArgumentException without rows
     * @throws PlotException             where this JVM cannot draw
     */
    public static BufferedImage render(List<HarnessRow> rows) {
        if (rows == null || rows.isEmpty()) throw new IllegalArgumentException("no results to plot");
        Map<String, ResultsReport.Cell> cells = ResultsReport.cells(rows);
        List<String> tasks = new ArrayList<>();
        TreeSet<Integer> budgets = new TreeSet<>();
        for (HarnessRow r : rows) {
            if (!tasks.contains(r.task())) tasks.add(r.task());
            budgets.add(r.budget());
        }
        int columns = Math.min(COLUMNS, tasks.size()), panelRows = (tasks.size() + columns - 1) / columns;
        int legend = 40;
        return Canvas.draw(columns * PANEL, panelRows * PANEL + legend, g -> {
            for (int t = 0; t < tasks.size(); t++) {
                JFreeChart chart = panel(tasks.get(t), budgets, cells, t % columns == 0);
                int col = t % columns, row = t / columns;
                chart.draw(g, new Rectangle2D.Double(col * PANEL, legend + row * PANEL, PANEL, PANEL));
            }
            drawLegend(g, columns * PANEL, legend);
        });
    }

    /** {@link #render} written as a PNG file, atomically. */
    public static void writePng(List<HarnessRow> rows, Path file) throws IOException {
        Canvas.writePng(render(rows), file);
    }

    private static JFreeChart panel(String task, TreeSet<Integer> budgets, Map<String, ResultsReport.Cell> cells,
                                    boolean firstColumn) {
        YIntervalSeriesCollection ours = new YIntervalSeriesCollection();
        for (String est : new String[] {"maf", "mdn"}) {
            YIntervalSeries s = new YIntervalSeries("jsbi NPE-" + est.toUpperCase(Locale.ROOT));
            for (int b : budgets) {
                ResultsReport.Cell c = cells.get(task + "/" + est + "/" + b);
                if (c != null) s.add(b, c.mean(), c.mean() - c.sd(), c.mean() + c.sd());
            }
            ours.addSeries(s);
        }
        XYSeriesCollection peers = new XYSeriesCollection();
        peers.addSeries(peer("sbibm NPE-MAF", task, budgets, PublishedResults::npeMaf));
        peers.addSeries(peer("sbibm NPE (NSF)", task, budgets, PublishedResults::npeNsf));

        LogAxis x = new LogAxis("simulations");
        x.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        x.setBase(10);
        x.setSmallestValue(100);
        x.setRange(budgets.first() / 1.6, budgets.last() * 1.6);
        x.setTickUnit(new NumberTickUnit(1));
        x.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
        NumberAxis y = new NumberAxis(firstColumn ? "C2ST" : null);
        y.setRange(0.45, 1.02);
        y.setTickUnit(new NumberTickUnit(0.1));
        Font ticks = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
        x.setTickLabelFont(ticks);
        y.setTickLabelFont(ticks);

        XYErrorRenderer err = new XYErrorRenderer();
        err.setDrawXError(false);
        err.setCapLength(5);
        err.setDefaultShapesVisible(true);
        err.setDefaultLinesVisible(true);
        err.setSeriesPaint(0, MAF);
        err.setSeriesPaint(1, MDN);
        err.setErrorStroke(new BasicStroke(1.2f));
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        lines.setSeriesPaint(0, PEER_MAF);
        lines.setSeriesPaint(1, PEER_NSF);
        lines.setSeriesStroke(0, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                new float[] {6, 4}, 0));
        lines.setSeriesStroke(1, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                new float[] {2, 3}, 0));

        XYPlot plot = new XYPlot(ours, x, y, err);
        plot.setDataset(1, peers);
        plot.setRenderer(1, lines);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(230, 230, 230));
        plot.setRangeGridlinePaint(new Color(230, 230, 230));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        JFreeChart chart = new JFreeChart(null, null, plot, false);
        chart.setTitle(new TextTitle(task, new Font(Font.SANS_SERIF, Font.PLAIN, 13)));
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(4, 4, 4, 10));
        return chart;
    }

    private static XYSeries peer(String name, String task, TreeSet<Integer> budgets,
                                 ToDoubleBiFunction<String, Integer> published) {
        XYSeries s = new XYSeries(name);
        for (int b : budgets) {
            double v = published.applyAsDouble(task, b);
            if (!Double.isNaN(v)) s.add(b, v);
        }
        return s;
    }

    /** One legend for all panels, across the top. */
    private static void drawLegend(Graphics2D g, int width, int height) {
        LegendItemCollection items = new LegendItemCollection();
        items.add(new LegendItem("jsbi NPE-MAF (mean ± sd)", MAF));
        items.add(new LegendItem("jsbi NPE-MDN (mean ± sd)", MDN));
        LegendItem maf = new LegendItem("sbibm NPE-MAF", PEER_MAF);
        LegendItem nsf = new LegendItem("sbibm NPE (NSF)", PEER_NSF);
        items.add(maf);
        items.add(nsf);
        LegendTitle legend = new LegendTitle(() -> items);
        legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        legend.setPosition(RectangleEdge.TOP);
        legend.setBackgroundPaint(Color.WHITE);
        org.jfree.chart.ui.Size2D size = legend.arrange(g, new org.jfree.chart.block.RectangleConstraint(
                new org.jfree.data.Range(0, width), new org.jfree.data.Range(0, height)));
        legend.draw(g, new Rectangle2D.Double((width - size.width) / 2, (height - size.height) / 2, size.width,
                size.height));
    }
}
