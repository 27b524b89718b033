"""The console kiosk: a stream of scans from standard input."""
import io

from db.models import Loan


def test_console_borrow_session_then_return(context):
    from kiosk.console import run_console
    scans = io.StringIO("0123456789\nTK.00001\nTK.00001\nTK.00009\n0123456789\nTK.00001\n")
    out = io.StringIO()
    assert run_console(context, scans, out) == 0
    text = out.getvalue()
    assert "Xin chào Nguyễn Văn An (lớp 6A1)" in text
    assert "✓ Đã mượn “Dế Mèn phiêu lưu ký”" in text
    assert "chỉ đọc tại chỗ" in text
    assert "đã mượn 1 cuốn" in text
    assert "✓ Đã trả" in text
    assert Loan.select().count() == 1 and Loan.get().returned_at is not None
