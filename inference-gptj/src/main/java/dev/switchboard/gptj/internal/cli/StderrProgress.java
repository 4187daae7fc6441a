package dev.switchboard.gptj.internal.cli;

import dev.switchboard.gptj.LoadListener;

/** Loading progress on stderr (stdout stays machine-readable). */
final class StderrProgress implements LoadListener {

    private String lastStage;
    private long lastPercent = -1;

    @Override
    public void progress(String stage, long done, long total) {
        long percent = total == 0 ? 100 : done * 100 / total;
        if (stage.equals(lastStage) && percent == lastPercent) {
            return;
        }
        lastStage = stage;
        lastPercent = percent;
        System.err.print("\r" + stage + " " + percent + "% (" + done + "/" + total + ")");
        if (done >= total) {
            System.err.println();
        }
        System.err.flush();
    }

    @Override
    public void note(String message) {
        System.err.println(message);
    }
}
