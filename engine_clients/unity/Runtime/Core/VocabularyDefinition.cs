using System;
using System.Collections.Generic;

namespace VRPerception.Core
{
    /// <summary>One voice command: its id and the phrase patterns ("select the {color} {object}") that trigger it.</summary>
    [Serializable]
    public sealed class CommandDefinitionData
    {
        public string Id = "";
        public List<string> Phrases = new List<string>();
    }

    /// <summary>A slot type: the values a {name} placeholder can take.</summary>
    [Serializable]
    public sealed class SlotTypeData
    {
        public string Name = "";
        public List<string> Values = new List<string>();
    }

    /// <summary>
    /// A voice-command vocabulary in plain data form, read from the YAML format
    /// that the server's --vocabulary files use:
    /// <code>
    /// commands:
    ///   - id: select
    ///     phrases: ["select the {color} cube", "pick {color}"]
    ///   - id: jump
    ///     phrase: jump
    /// slots:
    ///   color: [red, green, blue]
    /// </code>
    /// The server validates phrases and slot names; this reader checks only
    /// the structure.
    /// </summary>
    [Serializable]
    public sealed class VocabularyDefinition
    {
        public List<CommandDefinitionData> Commands = new List<CommandDefinitionData>();
        public List<SlotTypeData> SlotTypes = new List<SlotTypeData>();

        /// <summary>Parses vocabulary YAML text.</summary>
        /// <exception cref="FormatException">When the text is not valid YAML of the subset
        /// <see cref="MiniYaml"/> reads or does not have the structure above.</exception>
        public static VocabularyDefinition FromYaml(string yamlText)
        {
            object root = MiniYaml.Parse(yamlText);
            var result = new VocabularyDefinition();
            if (root == null)
            {
                return result;
            }
            var mapping = root as Dictionary<string, object>;
            if (mapping == null)
            {
                throw new FormatException("vocabulary must be a mapping with 'commands' and optional 'slots'");
            }
            foreach (var key in mapping.Keys)
            {
                if (key != "commands" && key != "slots")
                {
                    throw new FormatException("unknown vocabulary key '" + key + "'; use 'commands' and 'slots'");
                }
            }

            ReadCommands(mapping, result);
            ReadSlots(mapping, result);
            return result;
        }

        private static void ReadCommands(Dictionary<string, object> mapping, VocabularyDefinition result)
        {
            object commandsValue;
            if (!mapping.TryGetValue("commands", out commandsValue) || commandsValue == null)
            {
                return;
            }
            var commands = commandsValue as List<object>;
            if (commands == null)
            {
                throw new FormatException("'commands' must be a list of {id, phrases} entries");
            }
            for (int i = 0; i < commands.Count; i++)
            {
                result.Commands.Add(ReadCommand(i, commands[i]));
            }
        }

        private static CommandDefinitionData ReadCommand(int index, object entry)
        {
            var command = entry as Dictionary<string, object>;
            object id;
            if (command == null || !command.TryGetValue("id", out id) || !(id is string))
            {
                throw new FormatException(string.Format("command #{0} must be a mapping with 'id' and 'phrases'", index));
            }

            object phrases;
            if (!command.TryGetValue("phrases", out phrases))
            {
                command.TryGetValue("phrase", out phrases);
            }
            var data = new CommandDefinitionData { Id = (string)id };
            if (phrases is string)
            {
                data.Phrases.Add((string)phrases);
            }
            else if (phrases is List<object>)
            {
                data.Phrases.AddRange(ToStrings((List<object>)phrases, "command '" + data.Id + "' phrases"));
            }
            else if (phrases != null)
            {
                throw new FormatException("command '" + data.Id + "': 'phrases' must be a list of strings");
            }
            return data;
        }

        private static void ReadSlots(Dictionary<string, object> mapping, VocabularyDefinition result)
        {
            object slotsValue;
            if (!mapping.TryGetValue("slots", out slotsValue) || slotsValue == null)
            {
                return;
            }
            var slots = slotsValue as Dictionary<string, object>;
            if (slots == null)
            {
                throw new FormatException("'slots' must map each slot name to a list of values");
            }
            var names = new List<string>(slots.Keys);
            names.Sort(StringComparer.Ordinal);
            foreach (var name in names)
            {
                var values = slots[name] as List<object>;
                if (values == null)
                {
                    throw new FormatException("slot '" + name + "' must be a list of values");
                }
                var slot = new SlotTypeData { Name = name };
                slot.Values.AddRange(ToStrings(values, "slot '" + name + "'"));
                result.SlotTypes.Add(slot);
            }
        }

        private static IEnumerable<string> ToStrings(List<object> values, string where)
        {
            var strings = new List<string>(values.Count);
            foreach (var value in values)
            {
                var text = value as string;
                if (text == null)
                {
                    throw new FormatException(where + " must contain only strings");
                }
                strings.Add(text);
            }
            return strings;
        }
    }
}
