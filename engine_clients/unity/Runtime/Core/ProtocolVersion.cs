using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace VRPerception.Core
{
    /// <summary>
    /// The protocol version this package was generated from and the
    /// compatibility rule of the handshake: the major versions must be equal.
    /// </summary>
    public static class ProtocolVersion
    {
        /// <summary>Semantic version of protos/vrperception/v1 that Runtime/Generated was built from.</summary>
        public const string Client = "1.0.0";

        public const int ClientMajor = 1;

        private static readonly Regex SemverPattern = new Regex(@"^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$");

        /// <summary>Parses "MAJOR.MINOR.PATCH" with an optional pre-release or build suffix.</summary>
        public static bool TryParse(string version, out int major, out int minor, out int patch)
        {
            major = minor = patch = 0;
            if (version == null)
            {
                return false;
            }
            var match = SemverPattern.Match(version);
            if (!match.Success)
            {
                return false;
            }
            return int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out major)
                && int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out minor)
                && int.TryParse(match.Groups[3].Value, NumberStyles.None, CultureInfo.InvariantCulture, out patch);
        }

        /// <summary>
        /// Checks a HandshakeResponse's protocol_major and protocol_version
        /// against this client and returns null when they are compatible, or
        /// an error message that names both versions otherwise.
        /// </summary>
        public static string CheckServer(uint serverMajor, string serverVersion)
        {
            if (serverMajor == ClientMajor)
            {
                return null;
            }
            return string.Format(
                "server speaks protocol {0} (major {1}) but this client was built for protocol {2}; " +
                "use a server and a client of the same major version",
                string.IsNullOrEmpty(serverVersion) ? "(unset)" : serverVersion, serverMajor, Client);
        }
    }
}
