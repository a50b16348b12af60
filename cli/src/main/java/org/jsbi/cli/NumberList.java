package org.jsbi.cli;

import org.jsbi.validation.NumericCsv;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * An option's comma-separated numbers (--observation, --at, --low, --high): each a finite decimal as the CSV files'
 * cells are (no NaN, no hex, no "1f"), blanks around it allowed; anything else an option error naming the value.
 */
final class NumberList {

    private NumberList() {
    }

    static float[] floats(CommandLine cl, String option, String text) {
        String[] cells = text.split(",", -1);
        float[] v = new float[cells.length];
        for (int i = 0; i < cells.length; i++) {
            String c = checked(cl, option, cells, i);
            v[i] = Float.parseFloat(c);   // correctly rounded; (float) of a double would round twice
            if (!Float.isFinite(v[i])) {
                throw new ParameterException(cl, option + " value " + (i + 1) + " is '" + cells[i] + "', outside the"
                        + " float range (about ±3.4e38) in which jsbi computes");
            }
        }
        return v;
    }

    static double[] doubles(CommandLine cl, String option, String text) {
        String[] cells = text.split(",", -1);
        double[] v = new double[cells.length];
        for (int i = 0; i < cells.length; i++) {
            v[i] = Double.parseDouble(checked(cl, option, cells, i));
            if (!Double.isFinite(v[i])) throw notFinite(cl, option, cells, i);
        }
        return v;
    }

    private static String checked(CommandLine cl, String option, String[] cells, int i) {
        String c = cells[i].strip();
        if (!NumericCsv.isDecimal(c)) throw notFinite(cl, option, cells, i);
        return c;
    }

    private static ParameterException notFinite(CommandLine cl, String option, String[] cells, int i) {
        return new ParameterException(cl, option + " value " + (i + 1) + " is '" + cells[i] + "', not a finite"
                + " decimal number");
    }
}
