package org.jsbi.backend;

/** The elementwise functions of two arguments that every backend implements, also as row and column broadcasts. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV;

    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }

    public float apply(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }
}
