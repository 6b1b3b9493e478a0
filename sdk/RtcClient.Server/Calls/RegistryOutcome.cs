namespace RtcClient.Server.Calls;

/// <summary>The result of a registry operation: a value, or a problem to answer with.</summary>
public readonly record struct RegistryOutcome<T>(T? Value, int Status, string? ProblemType, string? Title, string? Detail)
{
    /// <summary>For a call that migrated (421): where it is now.</summary>
    public string? Target { get; init; }

    /// <summary>True when there is a value.</summary>
    public bool Succeeded => ProblemType is null;
}

/// <summary>Factories for <see cref="RegistryOutcome{T}"/>.</summary>
public static class RegistryOutcome
{
    /// <summary>Success.</summary>
    public static RegistryOutcome<T> Ok<T>(T value, int status = 200) => new(value, status, null, null, null);

    /// <summary>Failure with a problem.</summary>
    public static RegistryOutcome<T> Fail<T>(int status, string type, string title, string? detail = null) => new(default, status, type, title, detail);
}
