package dev.switchboard.gptj.internal.model;

import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.internal.safetensors.DType;
import dev.switchboard.gptj.internal.safetensors.SafetensorsWriter;
import java.util.List;

/** Test access to the tensor list random-init writes, to write deliberately broken variants. */
public final class RandomCheckpointAccess {

    private RandomCheckpointAccess() {
    }

    public static List<SafetensorsWriter.Spec> specs(GptjConfig c) {
        return RandomCheckpoint.specs(c, new RandomCheckpoint.Options(DType.F32, 1, 1, false));
    }
}
