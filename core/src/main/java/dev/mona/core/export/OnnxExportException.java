package dev.mona.core.export;

import dev.mona.core.model.MonaModelException;

/** An ONNX export could not be written or run: an unsupported architecture or a model ONNX Runtime rejects. */
public class OnnxExportException extends MonaModelException {
    public OnnxExportException(String message) {
        super(message);
    }

    public OnnxExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
