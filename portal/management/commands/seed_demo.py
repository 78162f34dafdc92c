"""`manage.py seed_demo` (`make run` calls it every time): the project-wide demo data, every app's `demo.seed()` in
the order their rows depend on. Part of the composition root with portal/urls.py and settings.py, so it may
import any app (README, Architecture)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts import demo as accounts_demo
from candidates import abroad_demo
from candidates import demo as workers_demo
from desk import demo as desk_demo
from desk import market_demo
from desk.models import Target
from desk.services import PROVINCIAL_PLAN
from fairs import demo as fairs_demo
from jobs import demo as jobs_demo
from jobs import services
from search import demo as search_demo
from training import demo as training_demo
from training import services as training


class Command(BaseCommand):
    help = "Load the reference data and the Vietnamese demo data, then rebuild the search indices. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--vacancies", type=int, default=60, help="domestic demo vacancies (default 60)")
        parser.add_argument("--workers", type=int, default=40, help="demo workers (default 40)")

    def handle(self, *args, vacancies, workers, **options):
        self.stdout.write(f"Xã, phường, đặc khu: {services.communes_load()}")
        self.stdout.write(f"Nghề (VSCO 2020 / ISCO-08): {services.occupations_load()}")
        services.reference_load()
        training.support_rules_load()
        self.stdout.write(f"Đơn vị, tin tuyển dụng: {jobs_demo.seed(vacancies=vacancies)}")
        self.stdout.write(f"Người lao động, kết quả: {workers_demo.seed(workers=workers)}")
        self.stdout.write(f"Chỉ tiêu, kết quả hội chợ việc làm: {desk_demo.seed()}")
        self.stdout.write(f"Xử phạt, báo cáo môi giới (mã theo dõi demo): {desk_demo.seed_safety()}")
        plan = float(PROVINCIAL_PLAN[Target.Indicator.ENROLMENT])
        self.stdout.write(f"Đào tạo nghề: {training_demo.seed(yearly_enrolments=plan)}")
        self.stdout.write(f"Làm việc ở nước ngoài, chương trình Nhà nước, về nước: {abroad_demo.seed()}")
        self.stdout.write(f"Phiên giao dịch việc làm: {fairs_demo.seed()}")
        self.stdout.write(f"Thị trường lao động, tìm kiếm không có kết quả: {market_demo.seed()}")
        self.stdout.write(f"Khóa API của agency1 (Authorization: Api-Key …, README): {jobs_demo.seed_api_key()}")
        key = accounts_demo.seed()
        self.stdout.write(
            f"Cán bộ canbo: bước xác thực thứ hai (TOTP) bằng khóa demo {key}; mã hiện tại: manage.py totp_code"
        )
        call_command("search_rebuild", stdout=self.stdout)
        self.stdout.write(f"Tìm kiếm đã lưu (thông báo việc làm): {search_demo.seed()}")
