package dev.switchboard.gptj.internal.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A shared library opened with dlopen through FFM, found by trying candidate names/paths in order.
 * Symbols are bound one by one, so a missing optional symbol is an empty Optional rather than a
 * failure at load.
 */
final class NativeLibrary {
    private static final Linker LINKER = Linker.nativeLinker();

    private final String name;
    private final String loadedFrom;
    private final SymbolLookup lookup;

    private NativeLibrary(String name, String loadedFrom, SymbolLookup lookup) {
        this.name = name;
        this.loadedFrom = loadedFrom;
        this.lookup = lookup;
    }

    /**
     * Opens the first candidate that loads. A candidate with a '/' is a path (skipped when absent);
     * one without is a soname for the dynamic loader's search (ldconfig, LD_LIBRARY_PATH).
     *
     * @throws CudaUnavailableException naming every candidate tried, when none loads
     */
    static NativeLibrary open(String name, List<String> candidates) {
        List<String> failures = new ArrayList<>();
        for (String candidate : candidates) {
            if (candidate == null || candidate.isBlank()) {
                continue;
            }
            if (candidate.contains("/") && !Files.exists(Path.of(candidate))) {
                failures.add(candidate + " (absent)");
                continue;
            }
            try {
                // The global arena keeps the library loaded for the life of the JVM: a CUDA
                // driver cannot be safely unloaded while contexts may exist.
                SymbolLookup lookup = SymbolLookup.libraryLookup(candidate, Arena.global());
                return new NativeLibrary(name, candidate, lookup);
            } catch (IllegalArgumentException e) {
                failures.add(candidate + " (" + e.getMessage() + ")");
            }
        }
        throw new CudaUnavailableException(
                "could not load " + name + "; tried: " + String.join(", ", failures));
    }

    String loadedFrom() {
        return loadedFrom;
    }

    Optional<MethodHandle> find(String symbol, FunctionDescriptor descriptor) {
        return lookup.find(symbol).map(address -> LINKER.downcallHandle(address, descriptor));
    }

    MethodHandle bind(String symbol, FunctionDescriptor descriptor) {
        return find(symbol, descriptor).orElseThrow(() -> new CudaUnavailableException(
                name + " at " + loadedFrom + " has no symbol " + symbol + " (driver or library too old?)"));
    }

    /** Reads a NUL-terminated C string returned by a library (static storage, never freed). */
    static String cString(MemorySegment pointer) {
        if (pointer.equals(MemorySegment.NULL)) {
            return "?";
        }
        return pointer.reinterpret(4096).getString(0);
    }
}
