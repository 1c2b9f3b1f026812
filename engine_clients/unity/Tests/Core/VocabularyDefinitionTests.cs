using System;
using System.Collections.Generic;
using System.IO;
using NUnit.Framework;

namespace VRPerception.Core.Tests
{
    [TestFixture]
    public class VocabularyDefinitionTests
    {
        private const string GameVocabulary = @"
# Commands of a small game.
commands:
  - id: select
    phrases:
      - select the {color} cube
      - ""pick {color}""   # quoted
  - id: jump
    phrase: jump
  - id: menu.open
    phrases: [open the menu, 'show menu', ""menu, please""]
slots:
  color: [red, green, blue]
  size:
  - small
  - large
";

        [Test]
        public void ReadsCommandsAndSlots()
        {
            var vocabulary = VocabularyDefinition.FromYaml(GameVocabulary);

            Assert.AreEqual(3, vocabulary.Commands.Count);
            Assert.AreEqual("select", vocabulary.Commands[0].Id);
            CollectionAssert.AreEqual(new[] { "select the {color} cube", "pick {color}" }, vocabulary.Commands[0].Phrases);
            CollectionAssert.AreEqual(new[] { "jump" }, vocabulary.Commands[1].Phrases);
            Assert.AreEqual("menu.open", vocabulary.Commands[2].Id);
            CollectionAssert.AreEqual(new[] { "open the menu", "show menu", "menu, please" }, vocabulary.Commands[2].Phrases);

            Assert.AreEqual(2, vocabulary.SlotTypes.Count);
            Assert.AreEqual("color", vocabulary.SlotTypes[0].Name);
            CollectionAssert.AreEqual(new[] { "red", "green", "blue" }, vocabulary.SlotTypes[0].Values);
            Assert.AreEqual("size", vocabulary.SlotTypes[1].Name);
            CollectionAssert.AreEqual(new[] { "small", "large" }, vocabulary.SlotTypes[1].Values);
        }

        [Test]
        public void ReadsProjectExampleVocabulary()
        {
            string path = Path.Combine(TestVectors.RepositoryRoot, "examples/vocabularies/game_scene.yaml");

            var vocabulary = VocabularyDefinition.FromYaml(File.ReadAllText(path));

            var ids = vocabulary.Commands.ConvertAll(command => command.Id);
            CollectionAssert.AreEqual(new[] { "select", "teleport", "open_inventory", "pause" }, ids);
            CollectionAssert.AreEqual(
                new[] { "select the {color} {object}", "pick the {color} {object}" }, vocabulary.Commands[0].Phrases);
            var color = vocabulary.SlotTypes.Find(slot => slot.Name == "color");
            Assert.IsNotNull(color, "slot 'color'");
            CollectionAssert.AreEqual(new[] { "red", "green", "blue", "yellow" }, color.Values);
        }

        [Test]
        public void EveryProjectVocabularyParses()
        {
            string folder = Path.Combine(TestVectors.RepositoryRoot, "examples/vocabularies");
            var files = Directory.GetFiles(folder, "*.yaml");
            Assert.That(files.Length, Is.GreaterThanOrEqualTo(1), "vocabulary files in " + folder);

            foreach (var file in files)
            {
                var vocabulary = VocabularyDefinition.FromYaml(File.ReadAllText(file));
                Assert.That(vocabulary.Commands.Count, Is.GreaterThan(0), Path.GetFileName(file));
                foreach (var command in vocabulary.Commands)
                {
                    Assert.That(command.Phrases.Count, Is.GreaterThan(0), Path.GetFileName(file) + " command " + command.Id);
                }
            }
        }

        [Test]
        public void EmptyDocumentIsEmptyVocabulary()
        {
            var vocabulary = VocabularyDefinition.FromYaml("# nothing yet\n");

            Assert.IsEmpty(vocabulary.Commands);
            Assert.IsEmpty(vocabulary.SlotTypes);
        }

        [Test]
        public void UnknownKeyIsRejected()
        {
            var error = Assert.Throws<FormatException>(() => VocabularyDefinition.FromYaml("commands: []\nslot_types: []\n"));
            StringAssert.Contains("slot_types", error.Message);
        }

        [Test]
        public void CommandWithoutIdIsRejected()
        {
            var error = Assert.Throws<FormatException>(() => VocabularyDefinition.FromYaml("commands:\n  - phrases: [go]\n"));
            StringAssert.Contains("command #0", error.Message);
        }

        [Test]
        public void SlotThatIsNotListIsRejected()
        {
            var error = Assert.Throws<FormatException>(() => VocabularyDefinition.FromYaml("slots:\n  color: red\n"));
            StringAssert.Contains("slot 'color'", error.Message);
        }
    }

    [TestFixture]
    public class MiniYamlTests
    {
        [Test]
        public void NestedMappingsAndSequences()
        {
            var root = (Dictionary<string, object>)MiniYaml.Parse("a:\n  b: 1\n  c:\n    - x\n    - y: 2\n      z: 3\nd: text with: colon\n");

            var a = (Dictionary<string, object>)root["a"];
            Assert.AreEqual("1", a["b"]);
            var c = (List<object>)a["c"];
            Assert.AreEqual("x", c[0]);
            var item = (Dictionary<string, object>)c[1];
            Assert.AreEqual("2", item["y"]);
            Assert.AreEqual("3", item["z"]);
            Assert.AreEqual("text with: colon", root["d"]);
        }

        [Test]
        public void QuotedScalarsAndComments()
        {
            var root = (Dictionary<string, object>)MiniYaml.Parse(
                "single: 'it''s # not a comment'\ndouble: \"tab\\there\"\nplain: value # comment\nempty:\n");

            Assert.AreEqual("it's # not a comment", root["single"]);
            Assert.AreEqual("tab\there", root["double"]);
            Assert.AreEqual("value", root["plain"]);
            Assert.IsNull(root["empty"]);
        }

        [Test]
        public void FlowSequenceEdgeCases()
        {
            var root = (Dictionary<string, object>)MiniYaml.Parse("empty: []\nnone: {}\ntrailing: [a, 'b''s',]\n");

            Assert.IsEmpty((List<object>)root["empty"]);
            Assert.IsEmpty((Dictionary<string, object>)root["none"]);
            CollectionAssert.AreEqual(new object[] { "a", "b's" }, (List<object>)root["trailing"]);
        }

        [Test]
        public void FlowMappingsInSequence()
        {
            var root = (List<object>)MiniYaml.Parse(
                "- {id: \"yes\", phrases: [\"yes\", 'it''s'], empty: }\n- {id: go, nested: {deep: [a, [b, c]]}}\n");

            var first = (Dictionary<string, object>)root[0];
            Assert.AreEqual("yes", first["id"]);
            CollectionAssert.AreEqual(new object[] { "yes", "it's" }, (List<object>)first["phrases"]);
            Assert.IsNull(first["empty"]);
            var second = (Dictionary<string, object>)root[1];
            var deep = (List<object>)((Dictionary<string, object>)second["nested"])["deep"];
            Assert.AreEqual("a", deep[0]);
            CollectionAssert.AreEqual(new object[] { "b", "c" }, (List<object>)deep[1]);
        }

        [Test]
        public void UnquotedBooleanWordsStayText()
        {
            var root = (Dictionary<string, object>)MiniYaml.Parse("answer: yes\nflag: off\n");

            Assert.AreEqual("yes", root["answer"]);
            Assert.AreEqual("off", root["flag"]);
        }

        [Test]
        public void UnsupportedSyntaxIsRejectedWithLine()
        {
            var multiLineFlow = Assert.Throws<FormatException>(() => MiniYaml.Parse("a: 1\nb: {c: 2,\n  d: 3}\n"));
            StringAssert.StartsWith("line 2:", multiLineFlow.Message);

            var trailingText = Assert.Throws<FormatException>(() => MiniYaml.Parse("a: [x] y\n"));
            StringAssert.Contains("unexpected text", trailingText.Message);

            var blockScalar = Assert.Throws<FormatException>(() => MiniYaml.Parse("a: |\n  text\n"));
            StringAssert.Contains("block scalars", blockScalar.Message);

            var duplicate = Assert.Throws<FormatException>(() => MiniYaml.Parse("a: 1\na: 2\n"));
            StringAssert.Contains("duplicate key 'a'", duplicate.Message);

            var unterminated = Assert.Throws<FormatException>(() => MiniYaml.Parse("a: [x, y\n"));
            StringAssert.Contains("one line", unterminated.Message);
        }

        [Test]
        public void BadIndentationIsRejected()
        {
            Assert.Throws<FormatException>(() => MiniYaml.Parse("a:\n    b: 1\n  c: 2\n"));
        }
    }

    [TestFixture]
    public class ProtocolVersionTests
    {
        [Test]
        public void ParsesSemanticVersions()
        {
            int major, minor, patch;
            Assert.IsTrue(ProtocolVersion.TryParse("1.2.3", out major, out minor, out patch));
            Assert.AreEqual(new[] { 1, 2, 3 }, new[] { major, minor, patch });
            Assert.IsTrue(ProtocolVersion.TryParse("2.0.0-rc.1", out major, out minor, out patch));
            Assert.AreEqual(2, major);
            Assert.IsFalse(ProtocolVersion.TryParse("1.0", out major, out minor, out patch));
            Assert.IsFalse(ProtocolVersion.TryParse("v1.0.0", out major, out minor, out patch));
            Assert.IsFalse(ProtocolVersion.TryParse(null, out major, out minor, out patch));
        }

        [Test]
        public void SameMajorIsCompatible()
        {
            Assert.IsNull(ProtocolVersion.CheckServer(1, "1.4.0"));
        }

        [Test]
        public void OtherMajorIsIncompatible()
        {
            string error = ProtocolVersion.CheckServer(2, "2.0.0");

            Assert.IsNotNull(error);
            StringAssert.Contains("2.0.0", error);
            StringAssert.Contains(ProtocolVersion.Client, error);
        }

        [Test]
        public void ClientConstantsAgree()
        {
            int major, minor, patch;
            Assert.IsTrue(ProtocolVersion.TryParse(ProtocolVersion.Client, out major, out minor, out patch));
            Assert.AreEqual(ProtocolVersion.ClientMajor, major);
        }
    }
}
