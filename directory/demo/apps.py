from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The sample data of `make run` (示例数据): installed only when DEMO_MODE is on, so a
    production configuration has none of its commands (load_demo, make_sample_import,
    demo_totp_code) and no command can create the demo accounts with their published password."""

    name = "directory.demo"
    label = "demo"
    verbose_name = "Demo data"
