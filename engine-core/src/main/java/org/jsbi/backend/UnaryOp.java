package org.jsbi.backend;

/** The elementwise functions of one argument that every backend implements, forward and backward. */
public enum UnaryOp {
    NEG, EXP, LOG, TANH, SIGMOID, SOFTPLUS, RELU, SQUARE, SQRT;

    /** Float64 value of the function: the reference that scalar kernels and gradient checks are held to. */
    public double apply(double x) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            case SOFTPLUS -> Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
            case RELU -> Math.max(x, 0.0);   // NaN stays NaN, as in PyTorch
            case SQUARE -> x * x;
            case SQRT -> Math.sqrt(x);
        };
    }

    /**
     * Float64 derivative f'(x), given x and y = f(x). Rules that are cheaper in terms of the output use y
     * (tanh: 1 - y^2, exp: y), which is what the kernels do too.
     */
    public double derivative(double x, double y) {
        return switch (this) {
            case NEG -> -1.0;
            case EXP -> y;
            case LOG -> 1.0 / x;
            case TANH -> 1.0 - y * y;
            case SIGMOID -> y * (1.0 - y);
            case SOFTPLUS -> SIGMOID.apply(x);
            case RELU -> x > 0 ? 1.0 : 0.0;
            case SQUARE -> 2.0 * x;
            case SQRT -> 0.5 / y;
        };
    }
}
