package dev.switchboard.gptj.internal.cli;

import dev.switchboard.gptj.GptjException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/gptj}: run, score, benchmark and fabricate GPT-J checkpoints from the command line. */
@Command(name = "gptj",
        mixinStandardHelpOptions = true,
        version = "gptj (Switchboard inference-gptj) 0.1",
        description = "GPT-J inference in Java: HF GPTJForCausalLM semantics, safetensors checkpoints, CPU (Vector API).",
        subcommands = {GenerateCommand.class, LogitsCommand.class, BenchCommand.class, RandomInitCommand.class,
                       BandwidthCommand.class, CommandLine.HelpCommand.class})
public final class GptjCli {

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit code (0 ok, 1 failed, 2 usage error). */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new GptjCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof GptjException || ex instanceof IllegalArgumentException) {
                err.println("error: " + ex.getMessage());
                err.flush();
                return 1;
            }
            throw ex;
        });
        return cli.execute(args);
    }
}
