package dev.switchboard.gptj;

/** Where the forward pass runs. Tokenizer, sampling, stop sequences and batching are the same on every device. */
public enum Device {
    CPU,
    CUDA;

    /** Parses {@code cpu} / {@code cuda} (any case). */
    public static Device parse(String name) {
        for (Device d : values()) {
            if (d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("device must be cpu or cuda, got '" + name + "'");
    }
}
