"""[display]: rotation and touch calibration for the 800x480 and 1024x600 panels."""
import pytest

from kiosk.config import ConfigError, config_from_dict
from kiosk.ui.display import kivy_settings

SCHOOL = {"school": {"code": "HY-1", "name": "Trường"}}


def _display(**values):
    return config_from_dict({**SCHOOL, "display": values}).display


def test_the_official_7_inch_panel_upside_down_turns_picture_and_touch_together():
    assert kivy_settings(_display(rotation=180)) == [("graphics", "rotation", "180")]


def test_a_1024x600_resistive_panel_read_directly_with_its_calibration():
    display = _display(touch="hidinput", touch_device="/dev/input/by-id/usb-touch-event",
                       touch_invert_y=True, touch_min_x=180, touch_max_x=3900,
                       touch_min_y=250, touch_max_y=3800)
    assert kivy_settings(display) == [
        ("graphics", "rotation", "0"),
        ("input", "kiosk_touch", "hidinput,/dev/input/by-id/usb-touch-event,invert_y=1,"
                                 "min_position_x=180,max_position_x=3900,"
                                 "min_position_y=250,max_position_y=3800"),
        ("input", "mouse", None)]  # one touch, not two


@pytest.mark.parametrize("values, key", [
    ({"rotation": 45}, "display.rotation"),
    ({"touch": "mtdev"}, "display.touch_device"),
    ({"touch": "hidinput", "touch_device": "/dev/x", "touch_min_x": 500, "touch_max_x": 10},
     "display.touch_max_x"),
])
def test_bad_display_values_name_their_key(values, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        _display(**values)


def test_the_new_sections_have_working_defaults_and_checks():
    config = config_from_dict(SCHOOL)
    assert (config.pins.length, config.backup.daily, config.backup.weekly,
            config.backup.monthly, config.backup.usb_label) == (6, 7, 4, 12, "KIOSKBACKUP")
    for section, values, key in (("pins", {"length": 3}, "pins.length"),
                                 ("backup", {"daily": 0}, "backup.daily"),
                                 ("backup", {"usb_label": "KIOSK BACKUP!"}, "backup.usb_label")):
        with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
            config_from_dict({**SCHOOL, section: values})
