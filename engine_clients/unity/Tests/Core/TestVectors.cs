using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;

namespace VRPerception.Core.Tests
{
    /// <summary>
    /// Loads engine_clients/test_vectors.json, the conversion and frame
    /// packing cases that the Python, C++ and C# clients share.
    /// </summary>
    /// <remarks>
    /// The file lives outside the Unity package, so it is found through the
    /// VRPERCEPTION_TEST_VECTORS environment variable or by walking up from
    /// this source file, the working directory and the test assembly to a
    /// folder that contains engine_clients/test_vectors.json (a repository checkout).
    /// </remarks>
    public static class TestVectors
    {
        public const string EnvironmentVariable = "VRPERCEPTION_TEST_VECTORS";
        private const string RelativePath = "engine_clients/test_vectors.json";

        private static Dictionary<string, object> root;

        public static Dictionary<string, object> Root
        {
            get
            {
                if (root == null)
                {
                    root = (Dictionary<string, object>)MiniJson.Parse(File.ReadAllText(FindFile(), Encoding.UTF8));
                }
                return root;
            }
        }

        public static double Tolerance
        {
            get { return (double)Root["float_tolerance"]; }
        }

        /// <summary>Returns the cases of one top-level list, such as "points_3d".</summary>
        public static List<Dictionary<string, object>> Cases(string section)
        {
            var cases = new List<Dictionary<string, object>>();
            foreach (var item in (List<object>)Root[section])
            {
                cases.Add((Dictionary<string, object>)item);
            }
            return cases;
        }

        public static Vec3 ToVec3(object value)
        {
            var list = (List<object>)value;
            return new Vec3((double)list[0], (double)list[1], (double)list[2]);
        }

        public static Vec2 ToVec2(object value)
        {
            var list = (List<object>)value;
            return new Vec2((double)list[0], (double)list[1]);
        }

        public static Quat ToQuat(object value)
        {
            var list = (List<object>)value;
            return new Quat((double)list[0], (double)list[1], (double)list[2], (double)list[3]);
        }

        public static byte[] FromHex(string hex)
        {
            var bytes = new byte[hex.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = byte.Parse(hex.Substring(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
            return bytes;
        }

        /// <summary>
        /// Returns the repository checkout that contains the test vectors, for
        /// tests that read other project files such as examples/vocabularies.
        /// </summary>
        public static string RepositoryRoot
        {
            get { return Path.GetDirectoryName(Path.GetDirectoryName(FindFile())); }
        }

        private static string SourceFilePath([CallerFilePath] string path = "")
        {
            return path;
        }

        private static string FindFile()
        {
            string fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                if (!File.Exists(fromEnvironment))
                {
                    throw new FileNotFoundException(EnvironmentVariable + " names a missing file", fromEnvironment);
                }
                return fromEnvironment;
            }

            // This source file's own path finds the checkout when the package is
            // installed from disk, wherever the Unity project lives.
            var starts = new List<string> { Path.GetDirectoryName(SourceFilePath()), Directory.GetCurrentDirectory() };
            string assemblyLocation = typeof(TestVectors).Assembly.Location;
            if (!string.IsNullOrEmpty(assemblyLocation))
            {
                starts.Add(Path.GetDirectoryName(assemblyLocation));
            }
            foreach (var start in starts)
            {
                for (var directory = new DirectoryInfo(start); directory != null; directory = directory.Parent)
                {
                    string candidate = Path.Combine(directory.FullName, RelativePath);
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }
            throw new FileNotFoundException(
                "test vectors not found above " + string.Join(" or ", starts.ToArray()) +
                "; set " + EnvironmentVariable + " to the path of " + RelativePath);
        }
    }

    /// <summary>
    /// A minimal JSON reader for the test vectors: objects become
    /// Dictionary&lt;string, object&gt;, arrays List&lt;object&gt;, numbers double.
    /// Unity and Mono ship different JSON libraries, so the tests carry their own.
    /// </summary>
    public static class MiniJson
    {
        public static object Parse(string text)
        {
            int index = 0;
            object value = ReadValue(text, ref index);
            SkipWhitespace(text, ref index);
            if (index != text.Length)
            {
                throw new FormatException("trailing characters at offset " + index);
            }
            return value;
        }

        private static object ReadValue(string text, ref int index)
        {
            SkipWhitespace(text, ref index);
            if (index >= text.Length)
            {
                throw new FormatException("unexpected end of JSON");
            }
            char c = text[index];
            switch (c)
            {
                case '{':
                    return ReadObject(text, ref index);
                case '[':
                    return ReadArray(text, ref index);
                case '"':
                    return ReadString(text, ref index);
                case 't':
                    Expect(text, ref index, "true");
                    return true;
                case 'f':
                    Expect(text, ref index, "false");
                    return false;
                case 'n':
                    Expect(text, ref index, "null");
                    return null;
                default:
                    return ReadNumber(text, ref index);
            }
        }

        private static Dictionary<string, object> ReadObject(string text, ref int index)
        {
            var result = new Dictionary<string, object>();
            index++;
            SkipWhitespace(text, ref index);
            if (text[index] == '}')
            {
                index++;
                return result;
            }
            while (true)
            {
                SkipWhitespace(text, ref index);
                string key = ReadString(text, ref index);
                SkipWhitespace(text, ref index);
                Expect(text, ref index, ":");
                result[key] = ReadValue(text, ref index);
                SkipWhitespace(text, ref index);
                if (text[index] == ',')
                {
                    index++;
                    continue;
                }
                Expect(text, ref index, "}");
                return result;
            }
        }

        private static List<object> ReadArray(string text, ref int index)
        {
            var result = new List<object>();
            index++;
            SkipWhitespace(text, ref index);
            if (text[index] == ']')
            {
                index++;
                return result;
            }
            while (true)
            {
                result.Add(ReadValue(text, ref index));
                SkipWhitespace(text, ref index);
                if (text[index] == ',')
                {
                    index++;
                    continue;
                }
                Expect(text, ref index, "]");
                return result;
            }
        }

        private static string ReadString(string text, ref int index)
        {
            Expect(text, ref index, "\"");
            var result = new StringBuilder();
            while (text[index] != '"')
            {
                char c = text[index++];
                if (c != '\\')
                {
                    result.Append(c);
                    continue;
                }
                char escape = text[index++];
                switch (escape)
                {
                    case 'n': result.Append('\n'); break;
                    case 't': result.Append('\t'); break;
                    case 'r': result.Append('\r'); break;
                    case 'b': result.Append('\b'); break;
                    case 'f': result.Append('\f'); break;
                    case 'u':
                        result.Append((char)int.Parse(text.Substring(index, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        index += 4;
                        break;
                    default: result.Append(escape); break;
                }
            }
            index++;
            return result.ToString();
        }

        private static double ReadNumber(string text, ref int index)
        {
            int start = index;
            while (index < text.Length && "+-0123456789.eE".IndexOf(text[index]) >= 0)
            {
                index++;
            }
            if (index == start)
            {
                throw new FormatException("unexpected character '" + text[index] + "' at offset " + index);
            }
            return double.Parse(text.Substring(start, index - start), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        private static void Expect(string text, ref int index, string token)
        {
            if (string.CompareOrdinal(text, index, token, 0, token.Length) != 0)
            {
                throw new FormatException("expected '" + token + "' at offset " + index);
            }
            index += token.Length;
        }

        private static void SkipWhitespace(string text, ref int index)
        {
            while (index < text.Length && char.IsWhiteSpace(text[index]))
            {
                index++;
            }
        }
    }
}
