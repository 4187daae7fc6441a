package dev.switchboard.gptj.internal.cuda;

/** Where the CUDA backend reads weights from: HF GPT-J tensor names to host tensors. */
@FunctionalInterface
interface TensorSource {
    /** @throws IllegalArgumentException naming the tensor when the checkpoint lacks it */
    HostTensor tensor(String name);
}
