namespace RtcClient.Media.Codecs;

/// <summary>libopus reported an error.</summary>
public sealed class OpusException : Exception
{
    /// <summary>Creates the exception for libopus error <paramref name="error"/> in <paramref name="operation"/>.</summary>
    public OpusException(string operation, int error)
        : base($"{operation} failed: {RtcClient.Native.Opus.OpusNative.ErrorText(error)} ({error})") => Error = error;

    /// <summary>Creates the exception with a message.</summary>
    public OpusException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public OpusException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public OpusException() : this("libopus error")
    {
    }

    /// <summary>The libopus error code (negative), or 0 when not from libopus.</summary>
    public int Error { get; }
}
