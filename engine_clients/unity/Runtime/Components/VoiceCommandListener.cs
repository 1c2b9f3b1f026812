using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using UnityEngine;
using UnityEngine.Events;
using VRPerception.Core;
using VRPerception.Transport;
using V1 = VRPerception.V1;

namespace VRPerception.Unity
{
    /// <summary>
    /// Streams microphone audio to the server's RecognizeCommands call as
    /// float32 chunks and raises recognised commands on the main thread.
    /// </summary>
    /// <remarks>
    /// The vocabulary comes from a <see cref="VoiceVocabulary"/> asset or from
    /// YAML text in the server's vocabulary format. In push-to-talk mode audio
    /// flows only between <see cref="BeginPushToTalk"/> and <see cref="EndPushToTalk"/>
    /// (bind them to a button or an input action); otherwise the microphone is
    /// always open and the server ends utterances on silence.
    /// </remarks>
    [AddComponentMenu("VRPerception/Voice Command Listener")]
    public sealed class VoiceCommandListener : StreamingComponent
    {
        /// <summary>Sample rates that RecognizeCommands accepts, in Hz, in order of preference.</summary>
        private static readonly int[] ServerSampleRates = { 16000, 22050, 32000, 44100, 48000 };
        private const int MicrophoneClipSeconds = 2;

        [Header("Microphone")]
        [Tooltip("Microphone device name; empty uses the default device.")]
        [SerializeField] private string microphoneDevice = "";

        [Tooltip("Preferred sample rate in Hz: 16000, 22050, 32000, 44100 or 48000.")]
        [SerializeField] private int sampleRateHz = 16000;

        [Tooltip("Audio per message in milliseconds, 10 to 1000.")]
        [Range(10, 1000)]
        [SerializeField] private int chunkMs = 100;

        [Header("Vocabulary (one of the two)")]
        [SerializeField] private VoiceVocabulary vocabularyAsset;

        [Tooltip("YAML in the server's format: commands (id, phrases) and slots.")]
        [SerializeField] private TextAsset vocabularyYaml;

        [Header("Recogniser")]
        [SerializeField] private V1.RecognizerEngine engine = V1.RecognizerEngine.Unspecified;

        [Tooltip("Match confidence below which an utterance is rejected; 0 uses the engine's default.")]
        [Range(0f, 1f)]
        [SerializeField] private float minConfidence;

        [SerializeField] private bool interimResults;

        [Tooltip("Send audio only between BeginPushToTalk and EndPushToTalk.")]
        [SerializeField] private bool pushToTalk;

        [Tooltip("Silence that ends an utterance, in milliseconds; 0 uses the server's 500.")]
        [SerializeField] private int silenceMs;

        [Tooltip("Longest utterance in milliseconds; 0 uses the server's 8000.")]
        [SerializeField] private int maxUtteranceMs;

        [Header("Results (main thread)")]
        [Tooltip("Invoked with the command id of every accepted utterance.")]
        public StringEvent CommandRecognized = new StringEvent();
        [Tooltip("Invoked with every result, accepted or rejected, including slots and alternatives.")]
        public CommandResultEvent CommandResultReceived = new CommandResultEvent();
        [Tooltip("Invoked with the transcript and the reason for utterances that matched no command.")]
        public CommandRejectedEvent CommandRejected = new CommandRejectedEvent();
        public UnityEvent SpeechStarted = new UnityEvent();
        public UnityEvent SpeechEnded = new UnityEvent();
        public StringEvent InterimTranscript = new StringEvent();

        private readonly QueuedStreamer<V1.RecognizeCommandsRequest, V1.RecognizeCommandsResponse> streamer =
            new QueuedStreamer<V1.RecognizeCommandsRequest, V1.RecognizeCommandsResponse>();
        private volatile V1.RecognizerConfig config;
        private VocabularyDefinition vocabularyOverride;
        private volatile bool talking;
        private AudioClip microphoneClip;
        private string activeDevice;
        private int lastPosition;
        private AudioChunker chunker;

        /// <summary>True between <see cref="BeginPushToTalk"/> and <see cref="EndPushToTalk"/>.</summary>
        public bool IsTalking
        {
            get { return talking; }
        }

        protected override string StreamName
        {
            get { return "RecognizeCommands"; }
        }

        /// <summary>Opens a push-to-talk window: the server keeps the utterance open through pauses.</summary>
        public void BeginPushToTalk()
        {
            if (talking)
            {
                return;
            }
            if (chunker != null)
            {
                chunker.Clear();
            }
            talking = true;
            streamer.Enqueue(PushToTalkRequest(V1.PushToTalk.Types.Action.Start));
        }

        /// <summary>Closes the push-to-talk window; the server recognises the utterance at once.</summary>
        public void EndPushToTalk()
        {
            if (!talking)
            {
                return;
            }
            ReadMicrophone();
            talking = false;
            var rest = chunker != null ? chunker.Flush() : null;
            if (rest != null)
            {
                streamer.Enqueue(AudioRequest(rest));
            }
            streamer.Enqueue(PushToTalkRequest(V1.PushToTalk.Types.Action.End));
        }

        /// <summary>
        /// Replaces the vocabulary from the next utterance on. It also replaces the
        /// asset's or YAML's vocabulary for later reconnects and re-enables.
        /// </summary>
        public void SetVocabulary(VocabularyDefinition definition)
        {
            if (definition == null)
            {
                throw new ArgumentNullException("definition");
            }
            vocabularyOverride = definition;
            var vocabulary = ProtoConversions.ToProto(definition);
            var updated = config != null ? config.Clone() : new V1.RecognizerConfig();
            updated.Vocabulary = vocabulary;
            config = updated;
            // A closed stream sends the new vocabulary in its config when it reopens.
            streamer.Enqueue(new V1.RecognizeCommandsRequest { Vocabulary = vocabulary.Clone() });
        }

        protected override void OnEnable()
        {
            try
            {
                StartMicrophone();
                config = BuildConfig();
            }
            catch (Exception error)
            {
                if (!(error is InvalidOperationException) && !(error is FormatException))
                {
                    throw;
                }
                Debug.LogError("VRPerception: voice commands disabled: " + error.Message);
                StopMicrophone();
                enabled = false;
                return;
            }
            base.OnEnable();
        }

        protected override void OnDisable()
        {
            base.OnDisable();
            StopMicrophone();
            talking = false;
        }

        private void StartMicrophone()
        {
            if (Microphone.devices.Length == 0)
            {
                throw new InvalidOperationException("no microphone found (Microphone.devices is empty)");
            }
            activeDevice = string.IsNullOrEmpty(microphoneDevice) ? null : microphoneDevice;
            int rate = ChooseSampleRate(activeDevice);
            microphoneClip = Microphone.Start(activeDevice, true, MicrophoneClipSeconds, rate);
            if (microphoneClip == null)
            {
                throw new InvalidOperationException(string.Format(
                    "microphone '{0}' did not start", activeDevice ?? "(default)"));
            }
            lastPosition = 0;
            chunker = new AudioChunker(microphoneClip.frequency, microphoneClip.channels, chunkMs);
            Debug.LogFormat(
                "VRPerception: microphone '{0}' started at {1} Hz, {2} channel(s)",
                activeDevice ?? "(default)", microphoneClip.frequency, microphoneClip.channels);
        }

        private void StopMicrophone()
        {
            if (microphoneClip == null)
            {
                return;
            }
            Microphone.End(activeDevice);
            Destroy(microphoneClip);
            microphoneClip = null;
        }

        // Picks the preferred rate when the device supports it, else the first
        // server rate in the device's range. GetDeviceCaps reports 0 and 0 when
        // the device takes any rate.
        private int ChooseSampleRate(string device)
        {
            int minRate;
            int maxRate;
            Microphone.GetDeviceCaps(device, out minRate, out maxRate);
            bool anyRate = minRate == 0 && maxRate == 0;
            if (Array.IndexOf(ServerSampleRates, sampleRateHz) < 0)
            {
                throw new InvalidOperationException(string.Format(
                    "sample rate {0} Hz is not accepted by the server; use 16000, 22050, 32000, 44100 or 48000", sampleRateHz));
            }
            if (anyRate || (sampleRateHz >= minRate && sampleRateHz <= maxRate))
            {
                return sampleRateHz;
            }
            foreach (int rate in ServerSampleRates)
            {
                if (rate >= minRate && rate <= maxRate)
                {
                    return rate;
                }
            }
            throw new InvalidOperationException(string.Format(
                "microphone supports {0} to {1} Hz, which includes none of the server's rates", minRate, maxRate));
        }

        private V1.RecognizerConfig BuildConfig()
        {
            VocabularyDefinition definition;
            if (vocabularyOverride != null)
            {
                definition = vocabularyOverride;
            }
            else if (vocabularyAsset != null)
            {
                definition = vocabularyAsset.Definition;
            }
            else if (vocabularyYaml != null)
            {
                definition = VocabularyDefinition.FromYaml(vocabularyYaml.text);
            }
            else
            {
                throw new InvalidOperationException("no vocabulary: assign a VoiceVocabulary asset or a YAML text asset");
            }

            return new V1.RecognizerConfig
            {
                Audio = new V1.AudioFormat
                {
                    SampleRateHz = (uint)microphoneClip.frequency,
                    Encoding = V1.AudioEncoding.Float32Le,
                    Channels = (uint)microphoneClip.channels,
                },
                Vocabulary = ProtoConversions.ToProto(definition),
                Endpointing = new V1.Endpointing
                {
                    SilenceMs = (uint)Mathf.Max(0, silenceMs),
                    MaxUtteranceMs = (uint)Mathf.Max(0, maxUtteranceMs),
                },
                Engine = engine,
                MinConfidence = minConfidence,
                InterimResults = interimResults,
            };
        }

        private void Update()
        {
            ReadMicrophone();
        }

        // Moves the audio recorded since the last call into chunks and queues them.
        private void ReadMicrophone()
        {
            if (microphoneClip == null)
            {
                return;
            }
            int position = Microphone.GetPosition(activeDevice);
            int frames = AudioChunker.SamplesSince(lastPosition, position, microphoneClip.samples);
            if (frames == 0)
            {
                return;
            }
            var samples = new float[frames * microphoneClip.channels];
            // GetData wraps around the end of a looping clip.
            microphoneClip.GetData(samples, lastPosition);
            lastPosition = position;

            if (!streamer.IsOpen || (pushToTalk && !talking))
            {
                return;
            }
            foreach (var chunk in chunker.Append(samples, 0, samples.Length))
            {
                streamer.Enqueue(AudioRequest(chunk));
            }
        }

        private static V1.RecognizeCommandsRequest AudioRequest(byte[] chunk)
        {
            return new V1.RecognizeCommandsRequest { Audio = new V1.AudioChunk { Data = ByteString.CopyFrom(chunk) } };
        }

        protected override Task RunStreamAsync(PerceptionClient connectedClient, CancellationToken token)
        {
            var voice = new V1.VoiceCommands.VoiceCommandsClient(connectedClient.Channel);
            var opening = new List<V1.RecognizeCommandsRequest>
            {
                new V1.RecognizeCommandsRequest { Config = config.Clone() },
            };
            if (talking)
            {
                // A push-to-talk window that was open when the stream failed goes on.
                opening.Add(PushToTalkRequest(V1.PushToTalk.Types.Action.Start));
            }
            return streamer.RunAsync(
                t => new GrpcDuplexStream<V1.RecognizeCommandsRequest, V1.RecognizeCommandsResponse>(
                    voice.RecognizeCommands(null, null, t)),
                opening,
                response =>
                {
                    ResetBackoff();
                    connectedClient.Post(() => OnResponse(response));
                },
                token);
        }

        private static V1.RecognizeCommandsRequest PushToTalkRequest(V1.PushToTalk.Types.Action action)
        {
            return new V1.RecognizeCommandsRequest { PushToTalk = new V1.PushToTalk { Action = action } };
        }

        private void OnResponse(V1.RecognizeCommandsResponse response)
        {
            if (!isActiveAndEnabled)
            {
                return;
            }
            switch (response.MessageCase)
            {
                case V1.RecognizeCommandsResponse.MessageOneofCase.Interim:
                    InterimTranscript.Invoke(response.Interim.Transcript);
                    break;
                case V1.RecognizeCommandsResponse.MessageOneofCase.Utterance:
                    if (response.Utterance.Type == V1.UtteranceEvent.Types.Type.SpeechStarted)
                    {
                        SpeechStarted.Invoke();
                    }
                    else if (response.Utterance.Type == V1.UtteranceEvent.Types.Type.SpeechEnded)
                    {
                        SpeechEnded.Invoke();
                    }
                    break;
                case V1.RecognizeCommandsResponse.MessageOneofCase.Result:
                    OnCommandResult(response.Result);
                    break;
            }
        }

        private void OnCommandResult(V1.CommandResult result)
        {
            if (string.IsNullOrEmpty(result.CommandId))
            {
                Debug.LogFormat("VRPerception: rejected '{0}': {1}", result.Transcript, result.RejectionReason);
                CommandRejected.Invoke(result.Transcript, result.RejectionReason);
            }
            else
            {
                CommandRecognized.Invoke(result.CommandId);
            }
            CommandResultReceived.Invoke(result);
        }
    }
}
