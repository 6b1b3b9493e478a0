namespace RtcClient.Server.Tests.Identity;

/// <summary>One test PKI per fixture, and the numbers of the calls the STIR tests place.</summary>
public abstract class StirTestBase
{
    protected const string Caller = "+" + StirTestPki.CallerNumber;
    protected const string Callee = "+" + StirTestPki.CalleeNumber;

    internal StirTestPki Pki { get; private set; } = null!;

    [OneTimeSetUp]
    public void CreatePki() => Pki = new StirTestPki();

    [OneTimeTearDown]
    public void DisposePki() => Pki.Dispose();
}
