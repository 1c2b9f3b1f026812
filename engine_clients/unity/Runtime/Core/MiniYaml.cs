using System;
using System.Collections.Generic;
using System.Text;

namespace VRPerception.Core
{
    /// <summary>
    /// A reader for the small YAML subset that vocabulary files use: block
    /// mappings, block sequences (also of mappings, "- id: x"), flow
    /// collections on one line ("[a, 'b c']", "{id: go, phrases: [go]}"),
    /// plain, single- and double-quoted scalars, and comments. Anchors, tags,
    /// block scalars and multi-line flow collections are rejected with a
    /// <see cref="FormatException"/>.
    /// </summary>
    /// <remarks>
    /// Mappings become Dictionary&lt;string, object&gt; (keys in file order are
    /// not kept), sequences List&lt;object&gt;, scalars string, and an empty
    /// value null. Every scalar stays a string: unquoted yes, no, on, off,
    /// true and false keep their text, where PyYAML on the server would read
    /// booleans, so vocabulary files quote them for both readers. Unity ships
    /// no YAML reader for runtime code, and this subset reads the vocabulary
    /// files that the Python server reads.
    /// </remarks>
    public static class MiniYaml
    {
        private sealed class Line
        {
            public int Number;
            public int Indent;
            public string Text;
        }

        /// <summary>Parses a document and returns its root value (null for an empty document).</summary>
        /// <exception cref="FormatException">With the line number, when the text is outside the subset.</exception>
        public static object Parse(string text)
        {
            if (text == null)
            {
                throw new ArgumentNullException("text");
            }
            var lines = SplitLines(text);
            if (lines.Count == 0)
            {
                return null;
            }
            int index = 0;
            object root = ParseBlock(lines, ref index, lines[0].Indent);
            if (index < lines.Count)
            {
                throw Error(lines[index], "unexpected indentation");
            }
            return root;
        }

        private static List<Line> SplitLines(string text)
        {
            var result = new List<Line>();
            var rawLines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
            for (int i = 0; i < rawLines.Length; i++)
            {
                string raw = rawLines[i];
                if (raw.IndexOf('\t') >= 0 && raw.TrimStart(' ').StartsWith("\t", StringComparison.Ordinal))
                {
                    throw new FormatException(string.Format("line {0}: tabs are not allowed for indentation", i + 1));
                }
                string content = StripComment(raw, i + 1).TrimEnd();
                string trimmed = content.TrimStart(' ');
                if (trimmed.Length == 0 || trimmed == "---")
                {
                    continue;
                }
                result.Add(new Line { Number = i + 1, Indent = content.Length - trimmed.Length, Text = trimmed });
            }
            return result;
        }

        // A '#' starts a comment at the start of a line or after a space, outside quotes.
        private static string StripComment(string line, int number)
        {
            char quote = '\0';
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (quote != '\0')
                {
                    if (c == '\\' && quote == '"')
                    {
                        i++;
                    }
                    else if (c == '\'' && quote == '\'' && i + 1 < line.Length && line[i + 1] == '\'')
                    {
                        i++;  // '' is an escaped quote inside single quotes.
                    }
                    else if (c == quote)
                    {
                        quote = '\0';
                    }
                }
                else if ((c == '"' || c == '\'') && (i == 0 || " [,:-".IndexOf(line[i - 1]) >= 0))
                {
                    quote = c;
                }
                else if (c == '#' && (i == 0 || line[i - 1] == ' '))
                {
                    return line.Substring(0, i);
                }
            }
            return line;
        }

        private static object ParseBlock(List<Line> lines, ref int index, int indent)
        {
            if (IsSequenceItem(lines[index].Text))
            {
                return ParseSequence(lines, ref index, indent);
            }
            return ParseMapping(lines, ref index, indent);
        }

        private static bool IsSequenceItem(string text)
        {
            return text == "-" || text.StartsWith("- ", StringComparison.Ordinal);
        }

        private static List<object> ParseSequence(List<Line> lines, ref int index, int indent)
        {
            var items = new List<object>();
            while (index < lines.Count && lines[index].Indent == indent && IsSequenceItem(lines[index].Text))
            {
                var line = lines[index];
                string rest = line.Text.Substring(1).TrimStart(' ');
                if (rest.Length == 0)
                {
                    index++;
                    items.Add(ParseNested(lines, ref index, indent, line));
                }
                else if (FindMappingColon(rest) >= 0)
                {
                    // "- key: value" opens a mapping whose keys line up with "key".
                    int itemIndent = indent + (line.Text.Length - rest.Length);
                    lines[index] = new Line { Number = line.Number, Indent = itemIndent, Text = rest };
                    items.Add(ParseMapping(lines, ref index, itemIndent));
                }
                else
                {
                    items.Add(ParseInlineValue(rest, line));
                    index++;
                }
            }
            return items;
        }

        private static Dictionary<string, object> ParseMapping(List<Line> lines, ref int index, int indent)
        {
            var mapping = new Dictionary<string, object>();
            while (index < lines.Count && lines[index].Indent == indent)
            {
                var line = lines[index];
                if (IsSequenceItem(line.Text))
                {
                    throw Error(line, "a sequence item where a 'key: value' line was expected");
                }
                int colon = FindMappingColon(line.Text);
                if (colon < 0)
                {
                    throw Error(line, "expected 'key: value'");
                }
                string key = ParseScalar(line.Text.Substring(0, colon).Trim(), line);
                if (mapping.ContainsKey(key))
                {
                    throw Error(line, "duplicate key '" + key + "'");
                }
                string rest = line.Text.Substring(colon + 1).Trim();
                index++;
                if (rest.Length > 0)
                {
                    mapping[key] = ParseInlineValue(rest, line);
                }
                else if (index < lines.Count && lines[index].Indent == indent && IsSequenceItem(lines[index].Text))
                {
                    // YAML lets a sequence under a key start at the key's own indentation.
                    mapping[key] = ParseSequence(lines, ref index, indent);
                }
                else
                {
                    mapping[key] = ParseNested(lines, ref index, indent, line);
                }
            }
            return mapping;
        }

        private static object ParseNested(List<Line> lines, ref int index, int parentIndent, Line parent)
        {
            if (index >= lines.Count || lines[index].Indent <= parentIndent)
            {
                return null;
            }
            int indent = lines[index].Indent;
            object value = ParseBlock(lines, ref index, indent);
            if (index < lines.Count && lines[index].Indent > parentIndent && lines[index].Indent != indent)
            {
                throw Error(lines[index], "inconsistent indentation below line " + parent.Number);
            }
            return value;
        }

        // Returns the index of the ':' that separates key and value, or -1.
        private static int FindMappingColon(string text)
        {
            if (text.Length == 0 || text[0] == '[' || text[0] == '{')
            {
                return -1;
            }
            char quote = '\0';
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (quote != '\0')
                {
                    if (c == '\\' && quote == '"')
                    {
                        i++;
                    }
                    else if (c == '\'' && quote == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
                    {
                        i++;  // '' is an escaped quote inside single quotes.
                    }
                    else if (c == quote)
                    {
                        quote = '\0';
                    }
                }
                else if (i == 0 && (c == '"' || c == '\''))
                {
                    quote = c;
                }
                else if (c == ':' && (i + 1 == text.Length || text[i + 1] == ' '))
                {
                    return i;
                }
            }
            return -1;
        }

        private static object ParseInlineValue(string text, Line line)
        {
            if (text.StartsWith("[", StringComparison.Ordinal) || text.StartsWith("{", StringComparison.Ordinal))
            {
                int position = 0;
                object value = ParseFlowValue(text, ref position, line);
                SkipSpaces(text, ref position);
                if (position != text.Length)
                {
                    throw Error(line, "unexpected text after a flow collection: '" + text.Substring(position) + "'");
                }
                return value;
            }
            if (text == "|" || text == ">" || text.StartsWith("|", StringComparison.Ordinal) || text.StartsWith(">", StringComparison.Ordinal))
            {
                throw Error(line, "block scalars (| and >) are not supported; write the value on one line");
            }
            if (text.StartsWith("&", StringComparison.Ordinal) || text.StartsWith("*", StringComparison.Ordinal) || text.StartsWith("!", StringComparison.Ordinal))
            {
                throw Error(line, "anchors, aliases and tags are not supported");
            }
            if (text == "~" || text == "null")
            {
                return null;
            }
            return ParseScalar(text, line);
        }

        // Flow collections ("[a, b]", "{id: x, phrases: [y]}") on one line, nested to any depth.
        private static object ParseFlowValue(string text, ref int position, Line line)
        {
            SkipSpaces(text, ref position);
            if (position >= text.Length)
            {
                throw Error(line, "a flow collection must open and close on one line");
            }
            char c = text[position];
            if (c == '[')
            {
                return ParseFlowSequence(text, ref position, line);
            }
            if (c == '{')
            {
                return ParseFlowMapping(text, ref position, line);
            }
            return ParseScalar(ReadFlowScalar(text, ref position, line, false), line);
        }

        private static List<object> ParseFlowSequence(string text, ref int position, Line line)
        {
            var items = new List<object>();
            position++;  // '['
            while (true)
            {
                SkipSpaces(text, ref position);
                if (position >= text.Length)
                {
                    throw Error(line, "a flow sequence must open and close on one line: [a, b]");
                }
                if (text[position] == ']')
                {
                    position++;
                    return items;
                }
                if (text[position] == ',')
                {
                    throw Error(line, "empty item in flow sequence");
                }
                items.Add(ParseFlowValue(text, ref position, line));
                if (!SkipFlowSeparator(text, ref position, ']'))
                {
                    throw Error(line, position >= text.Length
                        ? "a flow sequence must open and close on one line: [a, b]"
                        : "expected ',' or ']' in flow sequence");
                }
            }
        }

        private static Dictionary<string, object> ParseFlowMapping(string text, ref int position, Line line)
        {
            var mapping = new Dictionary<string, object>();
            position++;  // '{'
            while (true)
            {
                SkipSpaces(text, ref position);
                if (position >= text.Length)
                {
                    throw Error(line, "a flow mapping must open and close on one line: {key: value}");
                }
                if (text[position] == '}')
                {
                    position++;
                    return mapping;
                }
                string key = ParseScalar(ReadFlowScalar(text, ref position, line, true), line);
                if (position >= text.Length || text[position] != ':')
                {
                    throw Error(line, "expected ':' after key '" + key + "' in flow mapping");
                }
                position++;
                if (mapping.ContainsKey(key))
                {
                    throw Error(line, "duplicate key '" + key + "'");
                }
                SkipSpaces(text, ref position);
                bool emptyValue = position < text.Length && (text[position] == ',' || text[position] == '}');
                mapping[key] = emptyValue ? null : ParseFlowValue(text, ref position, line);
                if (!SkipFlowSeparator(text, ref position, '}'))
                {
                    throw Error(line, position >= text.Length
                        ? "a flow mapping must open and close on one line: {key: value}"
                        : "expected ',' or '}' in flow mapping");
                }
            }
        }

        // Reads a quoted or plain scalar and returns its raw text, quotes included.
        // A plain scalar ends at ',', ']' or '}', or for a key at ':'.
        private static string ReadFlowScalar(string text, ref int position, Line line, bool isKey)
        {
            SkipSpaces(text, ref position);
            int start = position;
            if (position < text.Length && (text[position] == '"' || text[position] == '\''))
            {
                char quote = text[position++];
                while (position < text.Length)
                {
                    char c = text[position];
                    if (c == '\\' && quote == '"')
                    {
                        position += 2;
                        continue;
                    }
                    if (c == quote)
                    {
                        if (quote == '\'' && position + 1 < text.Length && text[position + 1] == '\'')
                        {
                            position += 2;
                            continue;
                        }
                        position++;
                        return text.Substring(start, position - start);
                    }
                    position++;
                }
                throw Error(line, "unterminated quoted string");
            }
            while (position < text.Length)
            {
                char c = text[position];
                if (c == ',' || c == ']' || c == '}' || c == '[' || c == '{')
                {
                    break;
                }
                if (isKey && c == ':' && (position + 1 == text.Length || " ,]}".IndexOf(text[position + 1]) >= 0))
                {
                    break;
                }
                position++;
            }
            string scalar = text.Substring(start, position - start).TrimEnd();
            if (scalar.Length == 0)
            {
                throw Error(line, "empty value in flow collection");
            }
            return scalar;
        }

        // Skips "," (a trailing comma before the closing bracket is allowed) and
        // returns true, or returns true at the closing bracket, false otherwise.
        private static bool SkipFlowSeparator(string text, ref int position, char closing)
        {
            SkipSpaces(text, ref position);
            if (position < text.Length && text[position] == ',')
            {
                position++;
                return true;
            }
            return position < text.Length && text[position] == closing;
        }

        private static void SkipSpaces(string text, ref int position)
        {
            while (position < text.Length && text[position] == ' ')
            {
                position++;
            }
        }

        private static string ParseScalar(string text, Line line)
        {
            if (text.Length >= 2 && text[0] == '\'' && text[text.Length - 1] == '\'')
            {
                return text.Substring(1, text.Length - 2).Replace("''", "'");
            }
            if (text.Length >= 2 && text[0] == '"' && text[text.Length - 1] == '"')
            {
                return Unescape(text.Substring(1, text.Length - 2), line);
            }
            if (text[0] == '"' || text[0] == '\'')
            {
                throw Error(line, "unterminated quoted string");
            }
            return text;
        }

        private static string Unescape(string text, Line line)
        {
            var result = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c != '\\')
                {
                    result.Append(c);
                    continue;
                }
                if (++i >= text.Length)
                {
                    throw Error(line, "string ends with a lone backslash");
                }
                switch (text[i])
                {
                    case 'n': result.Append('\n'); break;
                    case 't': result.Append('\t'); break;
                    case '"': result.Append('"'); break;
                    case '\\': result.Append('\\'); break;
                    case '/': result.Append('/'); break;
                    default:
                        throw Error(line, "unsupported escape \\" + text[i]);
                }
            }
            return result.ToString();
        }

        private static FormatException Error(Line line, string message)
        {
            return new FormatException(string.Format("line {0}: {1}", line.Number, message));
        }
    }
}
