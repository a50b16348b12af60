package org.jsbi.backend;

/**
 * A backend found through {@link java.util.ServiceLoader} ({@code META-INF/services/org.jsbi.backend.BackendProvider}).
 * Implementations must not mention the types of the library they wrap (Vector API, JCuda) in their own signatures
 * or fields, so that loading the provider never fails: {@link #probe()} finds out whether the backend can run here,
 * and only then does {@link #create()} load the classes that need it.
 */
public interface BackendProvider {

    /** The name used in {@code -Djsbi.backend}: "scalar", "simd", "cuda". */
    String name();

    /** Higher is preferred when the user names no preference. */
    int priority();

    /** Runs this provider's checks; never throws. */
    Probe probe();

    /** Creates the backend; called only after a usable probe. */
    Backend create();
}
