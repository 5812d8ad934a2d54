namespace Vcm.Manager.Configuration;

/// <summary>The manager's configuration is wrong; the message is one or more plain sentences naming the settings.</summary>
public sealed class ManagerConfigurationException(string message) : Exception(message);
