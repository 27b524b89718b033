"""The panel's rotation and touch calibration (``[display]``) as Kivy settings.

Kivy turns the picture (``graphics.rotation``) and turns touches with it, whichever way they
arrive. Touches normally arrive through the compositor (cage, libinput; ``touch = "system"``).
A panel whose touch layer is wired crosswise, mirrored, or reports a raw range wider than the
screen (cheap resistive 1024x600 panels) is read directly by Kivy's ``hidinput`` or ``mtdev``
provider, with the inversion, rotation and range given here; the mouse provider is then turned
off so one touch is not counted twice.
"""
from __future__ import annotations


def kivy_settings(display) -> list[tuple[str, str, str | None]]:
    """``(section, option, value)`` for Kivy's config; a value of None removes the option."""
    settings: list[tuple[str, str, str | None]] = [
        ("graphics", "rotation", str(display.rotation))]
    if display.touch == "system":
        return settings
    params = [display.touch, display.touch_device]
    if display.touch_invert_x:
        params.append("invert_x=1")
    if display.touch_invert_y:
        params.append("invert_y=1")
    if display.touch_rotation:
        params.append(f"rotation={display.touch_rotation}")
    if display.touch_max_x:
        params += [f"min_position_x={display.touch_min_x}",
                   f"max_position_x={display.touch_max_x}"]
    if display.touch_max_y:
        params += [f"min_position_y={display.touch_min_y}",
                   f"max_position_y={display.touch_max_y}"]
    settings += [("input", "kiosk_touch", ",".join(params)), ("input", "mouse", None)]
    return settings


def apply(display) -> None:
    """Set the panel's options before the window exists."""
    from kivy.config import Config

    for section, option, value in kivy_settings(display):
        if value is None:
            if Config.has_option(section, option):
                Config.remove_option(section, option)
        else:
            Config.set(section, option, value)
