"""dangvien: theo dõi đoàn viên ưu tú đến khi trở thành đảng viên."""

__version__ = "0.1.0"
