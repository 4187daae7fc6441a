package dev.switchboard.gptj.internal.kernel;

/** Test access to package-private kernel helpers. */
public final class ActivationsAccess {

    private ActivationsAccess() {
    }

    public static double erf(double x) {
        return Activations.erf(x);
    }
}
