using UnityEngine;
using VRPerception.Core;

namespace VRPerception.Unity
{
    /// <summary>
    /// A voice-command vocabulary edited in the inspector: commands with phrase
    /// patterns such as "select the {color} cube" and slot types listing the
    /// values of each {slot}.
    /// </summary>
    [CreateAssetMenu(fileName = "VoiceVocabulary", menuName = "VRPerception/Voice Vocabulary")]
    public sealed class VoiceVocabulary : ScriptableObject
    {
        [SerializeField] private VocabularyDefinition definition = new VocabularyDefinition();

        public VocabularyDefinition Definition
        {
            get { return definition; }
        }
    }
}
