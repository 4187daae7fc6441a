package dev.switchboard.gptj;

/** Progress of {@link GptjEngine#load}; called on the loading thread. */
public interface LoadListener {

    LoadListener NONE = new LoadListener() {
        @Override
        public void progress(String stage, long done, long total) {
        }

        @Override
        public void note(String message) {
        }
    };

    /** {@code done} of {@code total} units (bytes or tensors) of {@code stage} are finished. */
    void progress(String stage, long done, long total);

    /** Something worth telling the operator (skipped buffers, unused tensors). */
    void note(String message);
}
