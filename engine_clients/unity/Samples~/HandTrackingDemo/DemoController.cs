using UnityEngine;
using UnityEngine.UI;
using VRPerception.Core;
using VRPerception.Unity;
using V1 = VRPerception.V1;

namespace VRPerception.Samples
{
    /// <summary>
    /// Glue of the hand tracking demo: shows the camera preview upright, turns
    /// the cube green while any hand pinches, and recolours it on voice commands.
    /// </summary>
    public sealed class DemoController : MonoBehaviour
    {
        [SerializeField] private HandTrackingSource hands;
        [SerializeField] private VoiceCommandListener voice;
        [SerializeField] private RawImage preview;
        [SerializeField] private Renderer cube;
        [SerializeField] private Text status;

        private int pinchingHands;
        private Color commandColor = Color.white;

        private void OnEnable()
        {
            hands.PinchBegan.AddListener(OnPinchBegan);
            hands.PinchEnded.AddListener(OnPinchEnded);
            hands.GestureBegan.AddListener(OnGestureBegan);
            if (voice != null)
            {
                voice.CommandResultReceived.AddListener(OnCommand);
            }
        }

        private void OnDisable()
        {
            hands.PinchBegan.RemoveListener(OnPinchBegan);
            hands.PinchEnded.RemoveListener(OnPinchEnded);
            hands.GestureBegan.RemoveListener(OnGestureBegan);
            if (voice != null)
            {
                voice.CommandResultReceived.RemoveListener(OnCommand);
            }
        }

        private void Update()
        {
            ShowPreview();
            if (voice != null && Input.GetKeyDown(KeyCode.Space))
            {
                voice.BeginPushToTalk();
            }
            if (voice != null && Input.GetKeyUp(KeyCode.Space))
            {
                voice.EndPushToTalk();
            }
        }

        // Turns the preview the way the server turns the frame, so the
        // landmarks (turned by HandVisualizer.matchUprightPreview) line up with it.
        private void ShowPreview()
        {
            var texture = hands.Feed.PreviewTexture;
            if (preview == null || texture == null)
            {
                return;
            }
            preview.texture = texture;
            var orientation = hands.Feed.LastOrientation;
            bool flipRows = orientation.RowOrder == RowOrder.TopDown;
            preview.uvRect = flipRows ? new Rect(0, 1, 1, -1) : new Rect(0, 0, 1, 1);
            preview.rectTransform.localEulerAngles = new Vector3(0, 0, -(int)orientation.Rotation);
        }

        private void OnPinchBegan(uint trackingId, HandSide side)
        {
            pinchingHands++;
            UpdateCube();
            SetStatus(side + " hand pinch");
        }

        private void OnPinchEnded(uint trackingId, HandSide side)
        {
            pinchingHands = Mathf.Max(0, pinchingHands - 1);
            UpdateCube();
        }

        private void OnGestureBegan(uint trackingId, HandSide side, string gestureName)
        {
            SetStatus(side + " hand: " + gestureName);
        }

        private void OnCommand(V1.CommandResult result)
        {
            if (string.IsNullOrEmpty(result.CommandId))
            {
                SetStatus("heard \"" + result.Transcript + "\": " + result.RejectionReason);
                return;
            }
            foreach (var slot in result.Slots)
            {
                if (slot.Name == "color")
                {
                    commandColor = ColorByName(slot.Value);
                }
            }
            UpdateCube();
            SetStatus(result.CommandId + " (" + result.Transcript + ")");
        }

        private static Color ColorByName(string name)
        {
            switch (name)
            {
                case "red": return Color.red;
                case "green": return Color.green;
                case "blue": return Color.blue;
                case "yellow": return Color.yellow;
                default: return Color.white;
            }
        }

        private void UpdateCube()
        {
            if (cube != null)
            {
                cube.material.color = pinchingHands > 0 ? Color.green : commandColor;
            }
        }

        private void SetStatus(string text)
        {
            if (status != null)
            {
                status.text = text;
            }
        }
    }
}
